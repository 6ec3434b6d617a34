"""The admin API (issue 12) on a real fleet: 2 instances on one Redis, each with its admin
listener; what one instance's API creates, the other enforces, and the CLI sees the same."""
import json
import time

import httpx
import pytest

from conftest import ADMIN_TOKEN, Fleet

AUTH = {"authorization": f"Bearer {ADMIN_TOKEN}"}
BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "admin"}]}


@pytest.fixture
def fleet():
    started = Fleet(2, admin=True)
    yield started
    started.stop()


def test_a_key_created_through_one_instances_admin_api_works_at_the_other(fleet, mock):
    admin = fleet.admin_urls[0]
    endpoint = {"name": "main", "type": "openai", "base_url": mock.base_url, "secret": "admin-endpoint-secret"}
    created = httpx.post(f"{admin}/api/orgs/acme/endpoints", headers=AUTH, json=endpoint)
    assert created.status_code == 201 and "secret" not in created.json()
    made = httpx.post(f"{admin}/api/keys", headers=AUTH, json={"orgs": ["acme"], "name": "fleet", "rpm_limit": 2})
    assert made.status_code == 201
    key, key_id = made.json()["key"], made.json()["key_id"]

    call = lambda url: httpx.post(f"{url}/v1/chat/completions", json=BODY, timeout=30,
                                  headers={"authorization": f"Bearer {key}", "x-bt-use-cache": "never"})
    assert call(fleet.instance_urls[1]).status_code == 200
    assert call(fleet.instance_urls[0]).status_code == 200
    assert call(fleet.instance_urls[1]).status_code == 429  # rpm_limit 2, fleet-wide

    # The CLI and the API show the same record, once the last call's spend has settled (it is
    # charged after the reply, so a read in between sees the spend before it).
    deadline = time.time() + 5
    while True:
        from_api = httpx.get(f"{fleet.admin_urls[1]}/api/keys/{key_id}", headers=AUTH).json()
        from_cli = json.loads(fleet.admin("keys", "get", key_id, "--json"))
        if from_api == from_cli or time.time() > deadline:
            break
        time.sleep(0.1)
    assert from_api == from_cli
    assert from_api["rpm_limit"] == 2 and "key" not in from_api


def test_the_admin_api_is_only_on_its_own_port_and_only_with_the_token(fleet):
    assert httpx.get(f"{fleet.instance_urls[0]}/api/keys", headers=AUTH).status_code == 404
    refused = httpx.get(f"{fleet.admin_urls[0]}/api/keys")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_admin_token"
    assert httpx.get(f"{fleet.admin_urls[0]}/api/keys", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(f"{fleet.admin_urls[0]}/api/keys", headers=AUTH).status_code == 200
    document = httpx.get(f"{fleet.admin_urls[0]}/api/openapi.json", headers=AUTH).json()
    assert document["openapi"].startswith("3.1") and "/api/keys/{key_id}" in document["paths"]


def test_with_an_admin_section_and_no_token_the_process_refuses_to_start(tmp_path):
    import os
    import subprocess
    from conftest import BIN, MASTER_KEY
    config = tmp_path / "wrangler.toml"
    config.write_text(f'[[kv_namespaces]]\nbinding = "CONTROL"\nbackend = "file"\npath = "{tmp_path}/control"\n'
                      '[dev]\nport = 0\n[admin]\nport = 0\n')
    env = {k: v for k, v in os.environ.items() if k != "AIPROXY_ADMIN_TOKEN"}
    result = subprocess.run([os.path.join(BIN, "aiproxy"), "--config", str(config)], capture_output=True, text=True,
                            timeout=30, env=dict(env, AIPROXY_MASTER_KEY=MASTER_KEY))
    assert result.returncode == 1
    assert "AIPROXY_ADMIN_TOKEN" in result.stderr


def test_metrics_match_the_calls_made(fleet, mock):
    from prometheus_client.parser import text_string_to_metric_families
    admin = fleet.admin_urls[0]
    endpoint = {"name": "main", "type": "openai", "base_url": mock.base_url, "secret": "metrics-secret"}
    assert httpx.post(f"{admin}/api/orgs/acme/endpoints", headers=AUTH, json=endpoint).status_code == 201
    key = httpx.post(f"{admin}/api/keys", headers=AUTH, json={"orgs": ["acme"]}).json()["key"]
    headers = {"authorization": f"Bearer {key}", "x-bt-use-cache": "never"}
    url = fleet.instance_urls[0]
    for _ in range(3):
        assert httpx.post(f"{url}/v1/chat/completions", json=BODY, headers=headers, timeout=30).status_code == 200
    with httpx.stream("POST", f"{url}/v1/chat/completions", json={**BODY, "stream": True}, headers=headers,
                      timeout=30) as stream:
        assert stream.status_code == 200
        stream.read()
    events = usage_events_of(fleet, 1, 4)
    assert httpx.get(f"{admin}/metrics").status_code == 401
    scraped = httpx.get(f"{admin}/metrics", headers=AUTH)
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(scraped.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    requests = [s for s in samples["aiproxy_requests_total"] if s.labels["status"] == "200"]
    assert sum(s.value for s in requests) == 4
    counts = [s for s in samples["gen_ai_client_token_usage_count"] if s.labels["gen_ai_token_type"] == "output"]
    assert sum(s.value for s in counts) == 4
    for kind, field in (("input", "input_tokens"), ("output", "output_tokens")):
        total = sum(s.value for s in samples["gen_ai_client_token_usage_sum"] if s.labels["gen_ai_token_type"] == kind)
        assert total == sum(event[field] for event in events), kind
    assert {s.labels["gen_ai_provider_name"] for s in counts} == {"openai"}
    assert {s.labels["gen_ai_request_model"] for s in counts} == {"gpt-4o"}
    assert sum(s.value for s in samples["gen_ai_server_time_to_first_token_seconds_count"]) == 1
    assert all("key_id" not in s.labels and "org" not in s.labels for group in samples.values() for s in group)
    assert samples["process_resident_memory_bytes"][0].value > 1_000_000
    assert 0 <= samples["edge_event_loop_lag_seconds"][0].value < 10


def usage_events_of(fleet, instance, count):
    """The usage events on an instance's stdout, waiting up to 5 s for `count` of them."""
    deadline = time.time() + 5
    while True:
        with open(f"{fleet.dir}/instance-{instance}.log") as log:
            events = [json.loads(line) for line in log if line.startswith("{") and '"key_id":"' in line]
        if len(events) >= count or time.time() > deadline:
            return events
        time.sleep(0.05)
