"""Several instances behind a real haproxy, sharing a real Redis (issue 5, first part)."""
import httpx
import pytest

from conftest import Fleet

MESSAGES = [{"role": "user", "content": "fleet"}]


@pytest.fixture
def fleet(mock):
    started = Fleet(2)
    try:
        started.add_endpoint("acme", "main", mock.base_url, secret="fleet-secret")
        yield started
    finally:
        started.stop()


def call(url, key, **headers):
    return httpx.post(f"{url}/v1/chat/completions", timeout=20,
                      headers={"authorization": f"Bearer {key}", **headers},
                      json={"model": "gpt-4o", "messages": MESSAGES, "seed": 5})


def test_cache_entry_written_by_one_instance_is_a_hit_on_the_other(fleet, mock):
    key = fleet.create_key("acme")
    first = call(fleet.instance_urls[0], key)
    assert first.status_code == 200 and first.headers["x-bt-cached"] == "MISS"
    for _ in range(100):  # the write happens after the response (waitUntil)
        second = call(fleet.instance_urls[1], key)
        if second.headers["x-bt-cached"] == "HIT":
            break
    assert second.headers["x-bt-cached"] == "HIT"
    assert second.json() == first.json()
    assert len(mock.requests()) <= 2


def test_a_key_created_once_works_everywhere_and_revocation_reaches_every_instance(fleet):
    key = fleet.create_key("acme")
    for url in fleet.instance_urls + [fleet.url] * 4:
        assert call(url, key).status_code == 200
    key_id = fleet.admin("keys", "list").split()[0]
    assert fleet.admin("keys", "revoke", key_id).strip() == "revoked"
    for url in fleet.instance_urls:
        assert call(url, key, **{"x-bt-use-creds-cache": "never"}).status_code == 401
