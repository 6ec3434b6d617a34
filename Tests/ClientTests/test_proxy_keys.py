"""Proxy keys, endpoints, failover and revocation through the admin CLI and the SDK."""
import httpx
import openai
import pytest
from openai import OpenAI

from conftest import free_port

MESSAGES = [{"role": "user", "content": "route me"}]


def test_failover_skips_dead_and_failing_endpoints(proxy, mock_factory):
    broken = mock_factory("broken")
    broken.behave(fail_status=500)
    healthy = mock_factory("healthy")
    proxy.add_endpoint("acme", "a-dead", f"http://127.0.0.1:{free_port()}/v1")
    proxy.add_endpoint("acme", "b-broken", broken.base_url)
    proxy.add_endpoint("acme", "c-healthy", healthy.base_url, secret="healthy-secret")
    key = proxy.create_key("acme")
    sdk = OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0, timeout=20)
    for _ in range(6):
        raw = sdk.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
        assert raw.http_response.status_code == 200
        assert raw.headers["x-bt-used-endpoint"] == "c-healthy"
        assert raw.parse().choices[0].message.content == "Mock reply to: route me"
    assert all(r["headers"]["authorization"] == "Bearer healthy-secret" for r in healthy.requests())
    # Pinning the failing endpoint returns its error as is.
    with pytest.raises(openai.InternalServerError):
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers={"x-bt-endpoint-name": "b-broken"})


def test_revoked_key_stops_working(proxy, mock):
    proxy.add_endpoint("acme", "main", mock.base_url)
    key = proxy.create_key("acme")
    sdk = OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0, timeout=20)
    assert sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES).choices[0].message.content
    key_id = proxy.admin("keys", "list").split()[0]
    assert proxy.admin("keys", "revoke", key_id).strip() == "revoked"
    # Within the 60 s credential-cache window the cached resolution may still serve; `never` re-reads.
    with pytest.raises(openai.AuthenticationError):
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers={"x-bt-use-creds-cache": "never"})


def test_keys_and_secrets_never_appear_in_the_kv_files(proxy, mock):
    proxy.add_endpoint("acme", "main", mock.base_url, secret="very-secret-upstream-token")
    key = proxy.create_key("acme")
    OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0).chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "PINEAPPLE prompt"}], seed=1)
    import os
    blobs = b""
    names = []
    for folder, _, files in os.walk(proxy.dir):
        for name in files:
            names.append(name)
            if not name.endswith(".toml"):
                with open(os.path.join(folder, name), "rb") as f:
                    blobs += f.read()
    for needle in [b"very-secret-upstream-token", key.encode(), b"PINEAPPLE", b"Mock reply"]:
        assert needle not in blobs
    assert not any(key in name for name in names)


def test_models_list_for_a_proxy_key(proxy, mock):
    proxy.add_endpoint("acme", "custom", mock.base_url, models=["my-finetune"])
    key = proxy.create_key("acme")
    response = httpx.get(f"{proxy.base_url}/models", headers={"authorization": f"Bearer {key}"})
    assert [m["id"] for m in response.json()["data"]] == ["my-finetune"]


def test_unknown_org_is_403_and_a_pinned_dead_endpoint_is_502(proxy, mock):
    proxy.add_endpoint("acme", "dead", f"http://127.0.0.1:{free_port()}/v1")
    key = proxy.create_key("acme")
    sdk = OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0, timeout=20)
    with pytest.raises(openai.PermissionDeniedError):
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers={"x-bt-org-name": "other"})
    with pytest.raises(openai.InternalServerError) as error:
        sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers={"x-bt-endpoint-name": "dead"})
    assert error.value.status_code == 502
