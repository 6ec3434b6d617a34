"""The real `openai` SDK against the proxy and the mock upstream (issue 3)."""
import base64
import struct

import httpx
import openai
import pytest
from openai import OpenAI

MESSAGES = [{"role": "user", "content": "hello proxy"}]


def client(proxy, key="sk-provider-key-A", **kwargs):
    return OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0, timeout=20, **kwargs)


def test_chat_completion(proxy):
    reply = client(proxy).chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert reply.choices[0].message.content == "Mock reply to: hello proxy"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens > 0


def test_streaming_chat_with_usage(proxy):
    stream = client(proxy).chat.completions.create(
        model="gpt-4o", messages=MESSAGES, stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Mock reply to: hello proxy"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert any(c.choices and c.choices[0].finish_reason == "stop" for c in chunks)


def test_completions_embeddings_moderations_models(proxy):
    sdk = client(proxy)
    completion = sdk.completions.create(model="gpt-3.5-turbo-instruct", prompt="say hi")
    assert completion.choices[0].text == "Mock completion of: say hi"
    embedding = sdk.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert len(embedding.data) == 2 and len(embedding.data[0].embedding) == 8
    assert embedding.data[0].embedding != embedding.data[1].embedding
    moderation = sdk.moderations.create(model="omni-moderation-latest", input="hello")
    assert moderation.results[0].flagged is False
    ids = [m.id for m in sdk.models.list()]
    assert "gpt-4o" in ids and "text-embedding-3-small" in ids


def test_errors_are_openai_shaped(proxy):
    with pytest.raises(openai.NotFoundError) as unknown:
        client(proxy).chat.completions.create(model="no-such-model", messages=MESSAGES)
    assert "no-such-model" in unknown.value.message
    with pytest.raises(openai.AuthenticationError):
        client(proxy, key="sk-aip-never-issued").chat.completions.create(model="gpt-4o", messages=MESSAGES)
    response = httpx.post(f"{proxy.base_url}/chat/completions", content=b"{not json",
                          headers={"authorization": "Bearer k", "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    missing = httpx.post(f"{proxy.base_url}/chat/completions", json={"model": "gpt-4o", "messages": []})
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"


def test_upstream_error_passes_through(proxy, mock):
    mock.behave(fail_status=429, retry_after=30)
    with pytest.raises(openai.RateLimitError) as error:
        client(proxy).chat.completions.create(model="gpt-4o", messages=MESSAGES)
    assert "mock failure 429" in error.value.message


def test_cache_hit_is_served_without_an_upstream_request(proxy, mock):
    sdk = client(proxy)
    first = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, seed=42)
    assert first.headers["x-bt-cached"] == "MISS"
    proxy.wait_for_cache_entries(1)
    second = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, seed=42)
    assert second.headers["x-bt-cached"] == "HIT"
    assert int(second.headers["age"]) >= 0
    assert second.parse().choices[0].message.content == first.parse().choices[0].message.content
    assert len(mock.requests()) == 1, "the hit made no upstream request"


def test_use_cache_never_bypasses(proxy, mock):
    sdk = client(proxy, default_headers={"x-bt-use-cache": "never"})
    for _ in range(2):
        raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, seed=42)
        assert raw.headers.get("x-bt-cached") is None
    assert len(mock.requests()) == 2


def test_another_key_misses_and_calls_upstream(proxy, mock):
    client(proxy, key="sk-provider-key-A").chat.completions.create(model="gpt-4o", messages=MESSAGES, seed=7)
    other = client(proxy, key="sk-provider-key-B").chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, seed=7)
    assert other.headers["x-bt-cached"] == "MISS"
    assert len(mock.requests()) == 2
    assert mock.requests()[1]["headers"]["authorization"] == "Bearer sk-provider-key-B"


def test_streaming_cache_hit_replays_sse(proxy, mock):
    sdk = client(proxy)

    def run():
        raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES, seed=3, stream=True)
        text = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
        return raw.headers["x-bt-cached"], text

    assert run() == ("MISS", "Mock reply to: hello proxy")
    proxy.wait_for_cache_entries(1)
    assert run() == ("HIT", "Mock reply to: hello proxy")
    assert len(mock.requests()) == 1


def test_mid_stream_failure_raises_instead_of_hanging(proxy, mock):
    mock.behave(fail_mid_stream_after=2)
    stream = client(proxy).chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)
    with pytest.raises(openai.APIError) as error:
        for _ in stream:
            pass
    assert "ended unexpectedly" in str(error.value)


def test_embeddings_base64_decode_to_the_mocks_floats(proxy):
    raw = httpx.post(f"{proxy.base_url}/embeddings", headers={"authorization": "Bearer k"},
                     json={"model": "text-embedding-3-small", "input": "alpha", "encoding_format": "base64"})
    data = base64.b64decode(raw.json()["data"][0]["embedding"])
    floats = struct.unpack("<8f", data)
    sdk_floats = client(proxy).embeddings.create(model="text-embedding-3-small", input="alpha").data[0].embedding
    assert list(floats) == pytest.approx(sdk_floats)


def test_auto_caches_temperature_zero_but_not_sampling(proxy, mock):
    sdk = client(proxy)
    for temperature, expected_upstream_calls in [(0, 1), (0.7, 2)]:
        prompt = [{"role": "user", "content": f"temperature {temperature}"}]
        sdk.chat.completions.create(model="gpt-4o", messages=prompt, temperature=temperature)
        proxy.wait_for_cache_entries(1)
        sdk.chat.completions.create(model="gpt-4o", messages=prompt, temperature=temperature)
        calls = [r for r in mock.requests() if f"temperature {temperature}" in r["body"]]
        assert len(calls) == expected_upstream_calls


def test_embeddings_are_cached_by_default(proxy, mock):
    sdk = client(proxy)
    sdk.embeddings.create(model="text-embedding-3-small", input="cache me")
    proxy.wait_for_cache_entries(1)
    raw = sdk.embeddings.with_raw_response.create(model="text-embedding-3-small", input="cache me")
    assert raw.headers["x-bt-cached"] == "HIT"
    assert len(mock.requests()) == 1
