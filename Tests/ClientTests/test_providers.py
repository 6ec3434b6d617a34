"""Claude, Gemini and Bedrock models through the proxy with the real `openai` SDK, and
Anthropic's own API through /v1/anthropic/messages with the real `anthropic` SDK.

Each provider is a `mock-upstream --provider …` process speaking that provider's wire format
and refusing malformed requests; the proxy reaches them through an org's endpoints."""
import json

import anthropic
import openai
import pytest

from conftest import translated_providers

CLAUDE = "claude-3-5-sonnet-latest"
GEMINI = "gemini-2.5-flash"
BEDROCK = "anthropic.claude-3-5-sonnet-20241022-v2:0"
WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "Current weather",
                 "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}},
}


@pytest.fixture(scope="module")
def providers():
    """Three provider mocks, a proxy, and a proxy key whose org has one endpoint per provider."""
    with translated_providers("acme") as started:
        yield started


def client(proxy, key):
    return openai.OpenAI(api_key=key, base_url=proxy.base_url, max_retries=0)


@pytest.mark.parametrize("model", [CLAUDE, GEMINI, BEDROCK])
def test_openai_sdk_streams_text_with_usage(providers, model):
    proxy, key, _ = providers
    stream = client(proxy, key).chat.completions.create(
        model=model, stream=True, stream_options={"include_usage": True},
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello there"}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.endswith("reply to: hello there")
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


@pytest.mark.parametrize("model", [CLAUDE, GEMINI, BEDROCK])
def test_openai_sdk_streamed_parallel_tool_calls_assemble_into_json(providers, model):
    proxy, key, _ = providers
    openai_client = client(proxy, key)
    question = {"role": "user", "content": "What's the weather in SF and NYC?"}
    calls = {}
    for chunk in openai_client.chat.completions.create(model=model, stream=True, messages=[question], tools=[WEATHER_TOOL]):
        for delta in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            call = calls.setdefault(delta.index, {"id": None, "name": None, "arguments": ""})
            call["id"] = delta.id or call["id"]
            call["name"] = (delta.function.name if delta.function else None) or call["name"]
            call["arguments"] += (delta.function.arguments or "") if delta.function else ""
    assert sorted(calls) == [0, 1]
    locations = sorted(json.loads(call["arguments"])["location"] for call in calls.values())
    assert locations == ["New York, NY", "San Francisco, CA"]
    assert all(call["name"] == "get_weather" and call["id"] for call in calls.values())

    # Both results go back; the provider mock refuses results that answer no call.
    follow_up = openai_client.chat.completions.create(model=model, tools=[WEATHER_TOOL], messages=[
        question,
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
            for _, c in sorted(calls.items())]},
        *[{"role": "tool", "tool_call_id": c["id"], "content": f"sunny {i}"} for i, c in sorted(calls.items())],
    ])
    assert "sunny 0" in follow_up.choices[0].message.content


@pytest.mark.parametrize("model", [CLAUDE, GEMINI, BEDROCK])
def test_translated_replies_are_cached_plain_and_streamed(providers, model):
    proxy, key, mocks = providers
    openai_client = client(proxy, key)
    messages = [{"role": "user", "content": f"cache me {model}"}]
    entries = proxy.cache_entry_count()
    first = openai_client.chat.completions.with_raw_response.create(model=model, messages=messages, seed=11)
    proxy.wait_for_cache_entries(entries + 1)
    second = openai_client.chat.completions.with_raw_response.create(model=model, messages=messages, seed=11)
    assert first.headers["x-bt-cached"] == "MISS" and second.headers["x-bt-cached"] == "HIT"
    assert second.parse().choices[0].message.content == first.parse().choices[0].message.content

    kwargs = dict(model=model, messages=messages, seed=12, stream=True)
    with openai_client.chat.completions.with_streaming_response.create(**kwargs) as response:
        assert response.headers["x-bt-cached"] == "MISS"
        streamed = "".join(c.choices[0].delta.content or "" for c in response.parse() if c.choices)
    proxy.wait_for_cache_entries(entries + 2)
    with openai_client.chat.completions.with_streaming_response.create(**kwargs) as response:
        assert response.headers["x-bt-cached"] == "HIT"
        assert "".join(c.choices[0].delta.content or "" for c in response.parse() if c.choices) == streamed


def test_upstream_errors_reach_the_openai_sdk_with_the_providers_message(providers):
    proxy, key, mocks = providers
    with mocks["bedrock"].behaving(fail_status=400), pytest.raises(openai.BadRequestError) as raised:
        client(proxy, key).chat.completions.create(model=BEDROCK, messages=[{"role": "user", "content": "hi"}])
    assert "mock failure 400 from mock-bedrock" in str(raised.value)


def test_gemini_embeddings_with_the_sdks_default_base64_encoding(providers):
    proxy, key, _ = providers
    result = client(proxy, key).embeddings.create(model="gemini-embedding-001", input=["one", "two"])
    assert [item.index for item in result.data] == [0, 1]
    assert all(len(item.embedding) == 8 and all(isinstance(v, float) for v in item.embedding) for item in result.data)


def test_models_lists_what_the_orgs_endpoints_serve(providers):
    proxy, key, _ = providers
    ids = {model.id for model in client(proxy, key).models.list()}
    assert {CLAUDE, GEMINI, BEDROCK} <= ids
    assert "gpt-4o" not in ids, "the org has no OpenAI endpoint"


def test_anthropic_sdk_through_the_native_route(providers):
    proxy, key, mocks = providers
    claude = anthropic.Anthropic(api_key=key, base_url=f"{proxy.base_url}/anthropic", max_retries=0)
    # Recent SDKs take no sampling parameters, so `auto` can't see a deterministic call: ask for the cache.
    always = {"x-bt-use-cache": "always"}
    entries = proxy.cache_entry_count()
    message = claude.messages.create(model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "hello native"}],
                                     extra_headers=always)
    assert message.content[0].text == "Mock Claude reply to: hello native"
    assert message.usage.output_tokens > 0

    with claude.messages.stream(model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "stream native"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Mock Claude reply to: stream native"
    assert final.stop_reason == "end_turn"

    # Same cache rules as the OpenAI routes: the repeat is a HIT.
    proxy.wait_for_cache_entries(entries + 1)
    raw = claude.messages.with_raw_response.create(model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "hello native"}],
                                                   extra_headers=always)
    assert raw.headers["x-bt-cached"] == "HIT"
    assert raw.parse().content[0].text == message.content[0].text

    with pytest.raises(anthropic.AuthenticationError):
        anthropic.Anthropic(api_key="sk-aip-not-a-key", base_url=f"{proxy.base_url}/anthropic", max_retries=0).messages.create(
            model=CLAUDE, max_tokens=10, messages=[{"role": "user", "content": "hi"}])
