"""Fault behaviour of a fleet on a real Redis and haproxy (issue 5): Redis down, an instance
drained with SIGTERM under streaming load, an instance killed with SIGKILL."""
import os
import signal
import subprocess
import threading
import time

import httpx
import pytest

from conftest import Fleet

SEEDED = {"model": "gpt-4o", "messages": [{"role": "user", "content": "faults"}], "seed": 9}


@pytest.fixture
def fleet(mock):
    started = Fleet(2)
    try:
        started.add_endpoint("acme", "main", mock.base_url, secret="s")
        started.key = started.create_key("acme")
        # Each instance resolves the key once, so its 60 s credential cache holds it.
        for url in started.instance_urls:
            assert httpx.post(f"{url}/v1/chat/completions", headers=auth(started), json=SEEDED, timeout=20).status_code == 200
        yield started
    finally:
        started.stop()


def auth(fleet, **extra):
    return {"authorization": f"Bearer {fleet.key}", **extra}


def pids(fleet):
    with open(os.path.join(fleet.dir, "pids")) as f:
        return [int(line) for line in f if line.strip()]  # redis, instance-1 … instance-N, haproxy


def status(url, path="/readyz"):
    try:
        return httpx.get(url + path, timeout=5).status_code
    except httpx.HTTPError:
        return None


def eventually(condition, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_redis_down_keeps_serving_cached_keys_and_recovers(fleet):
    raw = auth(fleet)
    redis_pid = pids(fleet)[0]
    os.kill(redis_pid, signal.SIGKILL)
    # Requests that don't need Redis (credentials cached): cache reads miss, writes are skipped, no 5xx.
    for _ in range(20):
        response = httpx.post(f"{fleet.instance_urls[0]}/v1/chat/completions", headers=raw, json=SEEDED, timeout=20)
        assert response.status_code == 200
        assert response.headers["x-bt-cached"] == "MISS"
    # Those that do: a clear 503. The instance stays ready (a shared store being down is not this
    # instance's fault, and every instance would leave the balancer at once); the store's own
    # health endpoint says it is down.
    down = httpx.post(f"{fleet.instance_urls[0]}/v1/chat/completions", json=SEEDED, timeout=20,
                      headers=auth(fleet, **{"x-bt-use-creds-cache": "never"}))
    assert down.status_code == 503 and down.json()["error"]["code"] == "control_store_unavailable"
    assert status(fleet.instance_urls[0]) == 200
    assert status(fleet.instance_urls[0], "/healthz") == 200
    assert status(fleet.instance_urls[0], "/healthz/dependencies") == 503
    report = httpx.get(fleet.instance_urls[0] + "/healthz/dependencies", timeout=5).json()
    assert report["status"] == "degraded"
    assert {d["binding"] for d in report["dependencies"]} == {"CACHE", "CONTROL", "LIMITS"}
    assert all(d["status"] == "down" and d["target"] == f"redis://127.0.0.1:{fleet.redis}/0" for d in report["dependencies"])
    # Redis comes back on the same port: the instances recover by themselves.
    restarted = subprocess.Popen(["redis-server", "--port", str(fleet.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert eventually(lambda: all(status(url, "/healthz/dependencies") == 200 for url in fleet.instance_urls))
        first = httpx.post(f"{fleet.instance_urls[0]}/v1/chat/completions", headers=raw, json=SEEDED, timeout=20)
        assert first.headers["x-bt-cached"] == "MISS"
        assert eventually(lambda: httpx.post(f"{fleet.instance_urls[1]}/v1/chat/completions", headers=raw, json=SEEDED,
                                             timeout=20).headers["x-bt-cached"] == "HIT")
    finally:
        restarted.kill()


def test_hung_redis_under_load_through_the_balancer_fails_no_call(fleet):
    """Redis stopped (SIGSTOP: connections stay open, nothing answers) for a few seconds under
    steady load through haproxy: no instance leaves the balancer, no call fails (credentials are
    cached, cache reads miss), and the Redis client reports the store down, then up again."""
    redis_pid = pids(fleet)[0]
    results, ready, dependencies = [], [], []
    os.kill(redis_pid, signal.SIGSTOP)
    try:
        for _ in range(12):
            started = time.time()
            response = httpx.post(f"{fleet.url}/v1/chat/completions", headers=auth(fleet), json=SEEDED, timeout=20)
            results.append((response.status_code, time.time() - started))
            ready.extend(status(url) for url in fleet.instance_urls)
            dependencies.append(status(fleet.instance_urls[0], "/healthz/dependencies"))
    finally:
        os.kill(redis_pid, signal.SIGCONT)
    assert [code for code, _ in results if code != 200] == [], results
    assert set(ready) == {200}, "every instance stayed ready"
    assert 503 in dependencies, "the store was reported down while it hung"
    latencies = sorted(seconds for _, seconds in results)
    print(f"{len(results)} calls during the stall, p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms")
    assert eventually(lambda: all(status(url, "/healthz/dependencies") == 200 for url in fleet.instance_urls))
    # The cache works again once the breaker closed.
    httpx.post(f"{fleet.url}/v1/chat/completions", headers=auth(fleet), json=SEEDED, timeout=20)
    assert eventually(lambda: httpx.post(f"{fleet.url}/v1/chat/completions", headers=auth(fleet), json=SEEDED,
                                         timeout=20).headers["x-bt-cached"] == "HIT")


def test_sigterm_under_streaming_load_cuts_no_stream_and_fails_no_request(fleet, mock):
    mock.behave(chunk_delay_ms=100)
    body = {"model": "gpt-4o", "stream": True, "messages": [{"role": "user", "content": "one two three four five"}]}
    results = []

    def stream():
        with httpx.stream("POST", f"{fleet.url}/v1/chat/completions", json=body, timeout=30,
                          headers=auth(fleet, **{"x-bt-use-cache": "never"})) as response:
            text = "".join(response.iter_text())
            results.append((response.status_code, text.rstrip().endswith("data: [DONE]")))

    threads = [threading.Thread(target=stream) for _ in range(10)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # streams are in flight on both instances
    instance_one = pids(fleet)[1]
    os.kill(instance_one, signal.SIGTERM)
    # Meanwhile new requests keep arriving at the balancer: none may fail.
    for _ in range(30):
        response = httpx.post(f"{fleet.url}/v1/chat/completions", json=SEEDED, timeout=20,
                              headers=auth(fleet, **{"x-bt-use-cache": "never"}))
        assert response.status_code == 200
        time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 10
    assert all(code == 200 and done for code, done in results), results
    assert eventually(lambda: subprocess.run(["kill", "-0", str(instance_one)]).returncode != 0, timeout=35), "drained and exited"


def test_sigkill_one_instance_the_balancer_routes_around_it(fleet):
    os.kill(pids(fleet)[2], signal.SIGKILL)
    for _ in range(20):
        response = httpx.post(f"{fleet.url}/v1/chat/completions", json=SEEDED, timeout=20,
                              headers=auth(fleet, **{"x-bt-use-cache": "never"}))
        assert response.status_code == 200
