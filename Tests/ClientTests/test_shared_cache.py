"""An org's opt-in shared cache (issue 14 part 4): its proxy keys share hits, no one else's do."""
import json

from openai import OpenAI

MESSAGES = [{"role": "user", "content": "share this answer"}]


def chat(proxy, key, **headers):
    sdk = OpenAI(base_url=proxy.base_url, api_key=key, max_retries=0, timeout=20)
    raw = sdk.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=MESSAGES, temperature=0, extra_headers=headers)
    assert raw.parse().choices[0].message.content == "Mock reply to: share this answer"
    return raw.headers["x-bt-cached"]


def shared_cache(proxy, org, switch):
    shown = json.loads(proxy.admin("orgs", "update", "--org", org, "--shared-cache", switch))
    assert shown["shared_cache"] is (switch == "on")
    assert not any("secret" in field for field in shown), "the secret is never shown"
    return shown


def test_keys_of_an_opted_in_org_share_hits_and_no_one_else_does(proxy, mock):
    for org in ["acme", "beta"]:
        proxy.add_endpoint(org, "main", mock.base_url)
        shared_cache(proxy, org, "on")
    assert json.loads(proxy.admin("orgs", "get", "--org", "acme"))["shared_cache"] is True
    first, second, third = proxy.create_key("acme"), proxy.create_key("acme"), proxy.create_key("beta")

    assert chat(proxy, first) == "MISS"
    proxy.wait_for_cache_entries(1)
    assert chat(proxy, second) == "HIT", "another key of the same org"
    assert len(mock.requests()) == 1
    # Another org's key, its org sharing too, neither finds nor opens acme's entry.
    assert chat(proxy, third) == "MISS"
    assert len(mock.requests()) == 2
    proxy.wait_for_cache_entries(2)

    # Off: each key caches for itself again (`never`: without waiting out the credential cache).
    shared_cache(proxy, "acme", "off")
    assert json.loads(proxy.admin("orgs", "get", "--org", "acme"))["shared_cache"] is False
    assert chat(proxy, second, **{"x-bt-use-creds-cache": "never"}) == "MISS"
    assert len(mock.requests()) == 3
    proxy.wait_for_cache_entries(3)
    assert chat(proxy, second, **{"x-bt-use-creds-cache": "never"}) == "HIT", "its own entry"

    # On again is a new secret: the first sharing period's entry is not found again.
    shared_cache(proxy, "acme", "on")
    assert chat(proxy, first, **{"x-bt-use-creds-cache": "never"}) == "MISS"
    proxy.wait_for_cache_entries(4)
    assert chat(proxy, second, **{"x-bt-use-creds-cache": "never"}) == "HIT"
    assert len(mock.requests()) == 4


def test_provider_keys_never_share(proxy, mock):
    assert chat(proxy, "sk-provider-key-A") == "MISS"
    proxy.wait_for_cache_entries(1)
    assert chat(proxy, "sk-provider-key-B") == "MISS"
    assert len(mock.requests()) == 2
