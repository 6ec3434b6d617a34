"""Coalescing: 50 identical calls at once go upstream once and get 50 identical replies, plain and
streamed, with the real openai SDK — in one instance, and across 3 instances sharing a real Redis
behind haproxy (x-bt-coalesced says each call's role)."""
import concurrent.futures

import openai
import pytest

from conftest import Fleet, Proxy

CALLS = 50


def ask(base_url, key, stream, question):
    """One call; its reply as data (every chunk for a stream) and its x-bt-coalesced header."""
    client = openai.OpenAI(api_key=key, base_url=base_url, max_retries=0, timeout=60)
    messages = [{"role": "user", "content": question}]
    if stream:
        raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages, seed=11,
                                                               stream=True)
        return [chunk.model_dump() for chunk in raw.parse()], raw.headers.get("x-bt-coalesced")
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages, temperature=0)
    return raw.parse().model_dump(), raw.headers.get("x-bt-coalesced")


def at_once(base_url, key, stream, question):
    with concurrent.futures.ThreadPoolExecutor(CALLS) as pool:
        return list(pool.map(lambda _: ask(base_url, key, stream, question), range(CALLS)))


@pytest.fixture
def one_instance(mock):
    proxy = Proxy(mock)
    yield proxy
    proxy.stop()


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_fifty_identical_calls_in_one_instance_go_upstream_once(one_instance, mock, stream):
    # The first token takes 3 s (the others arrive meanwhile); a stream then takes ~1 s more.
    mock.behave(latency_ms=3000, chunk_delay_ms=40)
    replies = at_once(one_instance.base_url, "sk-raw-key", stream, f"coalesce me ({stream})")
    assert len(mock.requests()) == 1
    assert all(reply == replies[0][0] for reply, _ in replies)
    assert sorted(role for _, role in replies) == ["follower"] * (CALLS - 1) + ["leader"]


@pytest.fixture
def fleet_of_three(mock):
    fleet = Fleet(3)
    try:
        fleet.add_endpoint("acme", "main", mock.base_url, secret="fleet-secret")
        key = fleet.create_key("acme")
        yield fleet, key
    finally:
        fleet.stop()


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_fifty_identical_calls_across_three_instances_on_redis_go_upstream_once(fleet_of_three, mock, stream):
    fleet, key = fleet_of_three
    mock.behave(latency_ms=3000, chunk_delay_ms=40)
    replies = at_once(f"{fleet.url}/v1", key, stream, f"coalesce the fleet ({stream})")
    assert len(mock.requests()) == 1
    assert all(reply == replies[0][0] for reply, _ in replies)
    roles = [role for _, role in replies]
    assert roles.count("leader") == 1 and roles.count("follower") == CALLS - 1
