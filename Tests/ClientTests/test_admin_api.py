"""The admin API (issue 12) on a real fleet: 2 instances on one Redis, each with its admin
listener; what one instance's API creates, the other enforces, and the CLI sees the same."""
import json

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

    # The CLI and the API show the same record.
    from_api = httpx.get(f"{fleet.admin_urls[1]}/api/keys/{key_id}", headers=AUTH).json()
    from_cli = json.loads(fleet.admin("keys", "get", key_id, "--json"))
    assert from_api == from_cli
    assert from_api["rpm_limit"] == 2 and "key" not in from_api


def test_the_admin_api_is_only_on_its_own_port_and_only_with_the_token(fleet):
    assert httpx.get(f"{fleet.instance_urls[0]}/api/keys", headers=AUTH).status_code == 404
    refused = httpx.get(f"{fleet.admin_urls[0]}/api/keys")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_admin_token"
    assert httpx.get(f"{fleet.admin_urls[0]}/api/keys", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(f"{fleet.admin_urls[0]}/api/keys", headers=AUTH).status_code == 200


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
