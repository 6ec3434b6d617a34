"""Cache-only mode for reproducible CI: a suite of SDK calls run once with `x-bt-use-cache: record`,
then again with the upstream mocks stopped, in only-mode (by header, then by `[vars] CACHE_MODE`),
gets identical replies, streams included; anything not recorded is a clear 404 `cache_miss`."""
import anthropic
import openai
import pytest

from conftest import translated_providers


def suite(proxy, key, mode=None):
    """The calls a CI run makes: plain and streamed chat through OpenAI and translated providers,
    embeddings, the Responses API, and Anthropic's own Messages API. Returns every reply as data."""
    headers = {"x-bt-use-cache": mode} if mode else {}
    client = openai.OpenAI(api_key=key, base_url=proxy.base_url, max_retries=0, default_headers=headers)
    replies = []
    for model in ["gpt-4o-mini", "claude-3-5-sonnet-latest", "gemini-2.5-flash"]:
        # temperature 0.8: `auto` would not cache these; record and only do.
        plain = client.chat.completions.create(model=model, temperature=0.8,
                                               messages=[{"role": "user", "content": f"plain question for {model}"}])
        replies.append(plain.model_dump())
        stream = client.chat.completions.create(model=model, stream=True, stream_options={"include_usage": True},
                                                messages=[{"role": "user", "content": f"streamed question for {model}"}])
        replies.append([chunk.model_dump() for chunk in stream])
    replies.append(client.embeddings.create(model="text-embedding-3-small", input=["replay", "me"]).model_dump())
    replies.append(client.responses.create(model="claude-3-5-sonnet-latest", input="a responses call").model_dump())
    replies.append([event.model_dump() for event in
                    client.responses.create(model="gpt-4o-mini", input="a streamed responses call", stream=True)])
    claude = anthropic.Anthropic(api_key=key, base_url=f"{proxy.base_url}/anthropic", max_retries=0,
                                 default_headers=headers)
    with claude.messages.stream(model="claude-3-5-sonnet-latest", max_tokens=100,
                                messages=[{"role": "user", "content": "native stream"}]) as stream:
        replies.append([event.model_dump() for event in stream])
    return replies


@pytest.fixture(scope="module")
def recorded():
    """A proxy whose suite was recorded, with all its upstream mocks already stopped."""
    with translated_providers("ci", openai_endpoint=True) as (proxy, key, mocks):
        replies = suite(proxy, key, mode="record")
        upstream_calls = sum(len(mock.requests()) for mock in mocks.values())
        proxy.wait_for_cache_entries(len(replies))
        for mock in mocks.values():
            mock.stop()  # the replay runs with the upstream gone
        yield proxy, key, replies, upstream_calls


def test_the_recording_run_went_upstream_once_per_call(recorded):
    _, _, replies, upstream_calls = recorded
    assert upstream_calls == len(replies)


def test_only_mode_replays_the_suite_identically_with_the_upstream_stopped(recorded):
    proxy, key, replies, _ = recorded
    assert suite(proxy, key, mode="only") == replies


def test_a_call_that_was_not_recorded_is_a_clear_cache_miss(recorded):
    proxy, key, _, _ = recorded
    client = openai.OpenAI(api_key=key, base_url=proxy.base_url, max_retries=0,
                           default_headers={"x-bt-use-cache": "only"})
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "never recorded"}])
    error = caught.value.body
    assert error["code"] == "cache_miss" and error["type"] == "invalid_request_error"
    assert "`gpt-4o-mini`" in error["message"] and "cache key" in error["message"]
    assert key not in error["message"]


def test_cache_mode_variable_makes_only_the_default(recorded):
    proxy, key, replies, _ = recorded
    proxy.restart(CACHE_MODE="only")
    assert suite(proxy, key) == replies
    with pytest.raises(openai.NotFoundError):
        openai.OpenAI(api_key=key, base_url=proxy.base_url, max_retries=0).embeddings.create(
            model="text-embedding-3-small", input="not recorded")
