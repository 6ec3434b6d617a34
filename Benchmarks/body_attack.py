"""Hostile request bodies against one aiproxy (issue 9): how long each takes to be answered, and
how long /healthz takes on fresh connections meanwhile. Usage: body_attack.py PORT KEY OUT.md"""
import http.client
import json
import sys
import threading
import time

PORT, KEY, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]
MIB = 1024 * 1024


def payloads():
    """Bodies up to the 10 MiB limit, each shaped to be expensive for a JSON parser."""
    wide = "{" + ",".join(f'"k{i}":1' for i in range(80_000)) + "}"
    yield "80k-member object (0.87 MB)", wide
    n = (10 * MIB - 2) // 12
    yield f"10 MiB object of {n // 1000}k members", "{" + ",".join(f'"{i:07d}":1' for i in range(n)) + "}"
    yield "10 MiB of [[1],[1],…] (2.6M arrays)", "[" + ",".join(["[1]"] * ((10 * MIB - 8) // 4)) + "]"
    yield "10 MiB of {\"a\":[]} objects", "[" + ",".join(['{"a":[]}'] * ((10 * MIB - 8) // 9)) + "]"
    yield "10 MiB string", json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "a" * (10 * MIB - 100)}]})
    yield "10 MiB of \\u escapes", '{"model":"gpt-4o","x":"' + "\\u00e9" * ((10 * MIB - 40) // 6) + '"}'
    yield "10 MiB of numbers", "[" + ",".join(["1.5e3"] * ((10 * MIB - 8) // 6)) + "]"


def post(body, token):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    started = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body=body.encode(),
                       headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, elapsed


def probe_healthz(stop, samples):
    while not stop.is_set():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        started = time.perf_counter()
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        samples.append(time.perf_counter() - started)
        connection.close()
        time.sleep(0.01)


def send_only(body):
    """The time to upload the body and get any answer from a route that doesn't parse it."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    started = time.perf_counter()
    connection.request("POST", "/v2/nothing", body=body.encode(), headers={"authorization": f"Bearer {KEY}"})
    connection.getresponse().read()
    connection.close()
    return time.perf_counter() - started


rows = []
for name, body in payloads():
    assert len(body.encode()) <= 10 * MIB, name
    upload = min(send_only(body) for _ in range(2))
    samples, stop = [], threading.Event()
    prober = threading.Thread(target=probe_healthz, args=(stop, samples))
    prober.start()
    time.sleep(0.05)
    bad = [post(body, "sk-aip-not-a-key") for _ in range(2)]
    good = [post(body, KEY) for _ in range(2)]
    stop.set()
    prober.join()
    rows.append((name, len(body.encode()) / MIB, upload, bad, good, max(samples) if samples else float("nan"), len(samples)))

with open(OUT, "w") as out:
    out.write("| body | MiB | upload only | unknown key: status, time | valid key: status, time | /healthz max meanwhile (n) |\n")
    out.write("|---|---|---|---|---|---|\n")
    for name, mib, upload, bad, good, healthz, n in rows:
        b = f"{bad[0][0]}, {min(t for _, t in bad) * 1000:.0f} ms"
        g = f"{good[0][0]}, {min(t for _, t in good) * 1000:.0f} ms"
        out.write(f"| {name} | {mib:.2f} | {upload * 1000:.0f} ms | {b} | {g} | {healthz * 1000:.1f} ms ({n}) |\n")
print(open(OUT).read())
