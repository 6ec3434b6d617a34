"""A key's limits held exactly across a fleet (issue 11): 3 instances behind a real haproxy,
counting in one real Redis, driven concurrently; and what the openai SDK makes of a refusal."""
import concurrent.futures
import json
import os
import signal
import threading
import time

import httpx
import openai
import pytest

from conftest import Fleet

BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "limits"}]}


@pytest.fixture
def fleet(mock):
    started = Fleet(3)
    try:
        started.add_endpoint("acme", "main", mock.base_url, secret="limits-secret")
        yield started
    finally:
        started.stop()


def create_key(fleet, *flags):
    output = fleet.admin("keys", "create", "--org", "acme", *flags).strip().splitlines()
    key_id = output[0].split()[2]
    return key_id, output[-1]


def post(url, key, body=BODY, timeout=30, **headers):
    return httpx.post(f"{url}/v1/chat/completions", timeout=timeout,
                      headers={"authorization": f"Bearer {key}", "x-bt-use-cache": "never", **headers}, json=body)


def test_concurrent_requests_through_the_balancer_admit_exactly_the_rpm_limit(fleet):
    limit = 25
    _, key = create_key(fleet, "--rpm-limit", str(limit))
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda _: post(fleet.url, key).status_code, range(200)))
    assert statuses.count(200) == limit, statuses
    assert statuses.count(429) == 200 - limit


def test_the_openai_sdk_sees_a_rate_limit_error_with_openais_headers(fleet):
    _, key = create_key(fleet, "--rpm-limit", "1")
    client = openai.OpenAI(base_url=f"{fleet.url}/v1", api_key=key, max_retries=0)
    client.chat.completions.create(**BODY)
    with pytest.raises(openai.RateLimitError) as refused:
        client.chat.completions.create(**BODY)
    headers = refused.value.response.headers
    assert headers["x-ratelimit-limit-requests"] == "1"
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert int(headers["retry-after"]) >= 1
    assert refused.value.code == "rate_limit_exceeded"


def test_parallel_requests_are_held_across_instances_and_a_killed_holders_lease_lapses(fleet, mock):
    key_id, key = create_key(fleet, "--max-parallel-requests", "1")
    mock.behave(chunk_delay_ms=400)
    stream_body = {**BODY, "stream": True, "messages": [{"role": "user", "content": "one two three four five six"}]}
    opened = threading.Event()

    def hold():
        try:
            with httpx.stream("POST", f"{fleet.instance_urls[0]}/v1/chat/completions", json=stream_body, timeout=30,
                              headers={"authorization": f"Bearer {key}", "x-bt-use-cache": "never"}) as response:
                if response.status_code == 200:
                    opened.set()
                for _ in response.iter_bytes():
                    pass
        except httpx.HTTPError:
            pass  # the instance serving it is killed below

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert opened.wait(10)
    # The one place is taken on instance 1: instance 2 refuses.
    refused = post(fleet.instance_urls[1], key)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "concurrency_limit_exceeded"
    # Instance 1 dies mid-stream, holding the lease: it lapses by itself within its 30 s TTL.
    with open(os.path.join(fleet.dir, "pids")) as f:
        instance_one = [int(line) for line in f if line.strip()][1]
    os.kill(instance_one, signal.SIGKILL)
    mock.behave()
    killed_at = time.time()
    while time.time() - killed_at < 40:
        if post(fleet.instance_urls[1], key).status_code == 200:
            break
        time.sleep(1)
    waited = time.time() - killed_at
    assert post(fleet.instance_urls[2], key).status_code == 200
    assert waited < 40, "the dead instance's lease never lapsed"
    print(f"lease freed {waited:.1f} s after the holder was killed")


def test_keys_update_and_get_agree_and_changes_reach_the_fleet(fleet):
    key_id, key = create_key(fleet, "--rpm-limit", "100", "--tags", "ci,nightly")
    record = json.loads(fleet.admin("keys", "get", key_id))
    assert record["key_id"] == key_id and record["rpm_limit"] == 100 and record["tags"] == ["ci", "nightly"]
    updated = json.loads(fleet.admin("keys", "update", key_id, "--models", "gpt-4o-mini", "--rpm-limit", "none"))
    assert updated["models"] == ["gpt-4o-mini"] and updated["rpm_limit"] is None
    listed = json.loads(fleet.admin("keys", "list", "--json"))
    assert [r for r in listed if r["key_id"] == key_id] == [updated]
    refused = post(fleet.instance_urls[1], key, **{"x-bt-use-creds-cache": "never"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "model_not_allowed"
    fleet.admin("keys", "block", key_id)
    blocked = post(fleet.instance_urls[2], key, **{"x-bt-use-creds-cache": "never"})
    assert blocked.status_code == 401 and blocked.json()["error"]["code"] == "key_blocked"


def usage_events(fleet, key_id, count, timeout=10):
    """The usage events (JSON lines on each instance's stdout) for one key, waiting for `count`."""
    deadline = time.time() + timeout
    while True:
        events = []
        for i in range(1, fleet.size + 1):
            with open(os.path.join(fleet.dir, f"instance-{i}.log")) as log:
                for line in log:
                    if line.startswith("{") and f'"key_id":"{key_id}"' in line:
                        events.append(json.loads(line))
        if len(events) >= count or time.time() > deadline:
            return events
        time.sleep(0.1)


def micro(usd):
    return round(usd * 1_000_000)


def test_concurrent_calls_on_a_small_budget_never_spend_past_it_and_the_rollups_add_up(fleet):
    # The estimate reserves 133 micro-USD a call (13 input tokens, max_tokens 10, gpt-4o); the
    # mock's reply costs 43. So spend can't pass the budget: actual is below the estimate.
    key_id, key = create_key(fleet, "--max-budget", "0.005", "--budget-duration", "1d")
    body = {**BODY, "max_tokens": 10}
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        replies = list(pool.map(lambda _: post(fleet.url, key, body=body), range(200)))
    statuses = [reply.status_code for reply in replies]
    admitted = statuses.count(200)
    assert statuses.count(429) == 200 - admitted
    assert 5000 // 133 <= admitted < 200, statuses
    refused = next(reply for reply in replies if reply.status_code == 429)
    assert refused.json()["error"]["code"] == "insufficient_quota"
    assert refused.headers["x-should-retry"] == "false"

    record = json.loads(fleet.admin("keys", "get", key_id, "--json"))
    assert record["max_budget"] == 0.005 and record["budget_duration"] == "1d"
    assert micro(record["spend"]) == admitted * 43 <= 5000

    events = usage_events(fleet, key_id, 200)
    assert len(events) == 200
    assert sum(micro(event["cost_usd"] or 0) for event in events) == micro(record["spend"])
    rows = json.loads(fleet.admin("usage", "--key-id", key_id, "--json"))
    assert sum(row["requests"] for row in rows) == 200
    assert sum(micro(row["spend"]) for row in rows) == micro(record["spend"])
    assert sum(row["output_tokens"] for row in rows) == sum(event["output_tokens"] or 0 for event in events)


def test_the_openai_sdk_does_not_retry_a_spent_budget(fleet):
    key_id, key = create_key(fleet, "--max-budget", "0.0001")
    client = openai.OpenAI(base_url=f"{fleet.url}/v1", api_key=key, max_retries=3)
    with pytest.raises(openai.RateLimitError) as refused:
        client.chat.completions.create(**BODY)  # 16,384 output tokens by the catalog: ~$0.16 > $0.0001
    assert refused.value.code == "insufficient_quota"
    time.sleep(0.5)
    assert len(usage_events(fleet, key_id, 2, timeout=1)) == 1, "one call, not retried"


def test_an_orgs_limit_set_with_the_cli_holds_across_its_keys_and_the_fleet(fleet):
    shown = json.loads(fleet.admin("orgs", "update", "--org", "acme", "--rpm-limit", "2"))
    assert shown["org"] == "acme" and shown["rpm_limit"] == 2 and shown["max_budget"] is None
    _, first = create_key(fleet)
    _, second = create_key(fleet)
    assert post(fleet.instance_urls[0], first).status_code == 200
    assert post(fleet.instance_urls[1], second).status_code == 200
    refused = post(fleet.instance_urls[2], first)
    assert refused.status_code == 429
    assert "organization" in refused.json()["error"]["message"]
    assert json.loads(fleet.admin("orgs", "get", "--org", "acme"))["rpm_limit"] == 2


def test_with_redis_gone_keys_with_limits_are_refused_and_keys_without_are_served(fleet):
    _, limited = create_key(fleet, "--rpm-limit", "100")
    _, free = create_key(fleet)
    url = fleet.instance_urls[0]
    assert post(url, limited).status_code == 200 and post(url, free).status_code == 200  # credentials cached
    with open(os.path.join(fleet.dir, "pids")) as pids:
        os.kill(int(pids.readline()), signal.SIGKILL)  # redis-server, started first
    refused = post(url, limited)
    assert refused.status_code == 503, refused.text  # LIMITS_ON_STORE_FAILURE defaults to refuse
    assert refused.json()["error"]["code"] == "limits_unavailable"
    assert post(url, free).status_code == 200
