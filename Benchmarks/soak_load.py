#!/usr/bin/env python3
"""Mixed load against one aiproxy for a bounded time, with its RSS and open fds sampled.

Started by Benchmarks/soak.sh, which runs the proxy, Redis and six mock upstreams (endpoints
`healthy`, `large`, `rate-limited`, `failing`, `cut`, `slow` of one org). Standard library only: raw
non-blocking sockets and a small HTTP/1.1 reader, so a client can read slowly (a small receive
buffer, 8 KiB at a time) or go away mid-request exactly when it means to.

Writes OUT/soak.csv (one row per sample) and OUT/soak-summary.md; exits 1 when RSS or fds grow
more than the limit between the first and the last window after warm-up, or when any request
ends in an outcome its kind was not meant to have.
"""
import argparse
import asyncio
import collections
import json
import os
import random
import socket
import statistics
import struct
import sys
import time

GROWTH_LIMIT = 0.05
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split()


class Closed(Exception):
    """The server closed the connection."""


class Connection:
    """One keep-alive HTTP/1.1 connection on a non-blocking socket, read with loop.sock_recv
    (no transport buffering: what the client has not read stays in the kernel buffers)."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = bytearray()
        self.reusable = True
        # A slow reader's pace: at most `read_size` bytes per receive, `pause` seconds before each.
        self.read_size = 65536
        self.pause = 0.0

    @classmethod
    async def open(cls, port, receive_buffer=None):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        try:
            await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        except BaseException:
            sock.close()
            raise
        return cls(sock)

    def close(self, reset=False):
        if reset:  # SO_LINGER 0: the close sends RST, as a killed client would.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()
        self.reusable = False

    async def send(self, data):
        await asyncio.get_running_loop().sock_sendall(self.sock, data)

    async def _fill(self, size=65536):
        if self.pause:
            await asyncio.sleep(self.pause)
        data = await asyncio.get_running_loop().sock_recv(self.sock, min(size, self.read_size))
        if not data:
            raise Closed()
        self.buffer += data

    async def _line(self):
        while (end := self.buffer.find(b"\r\n")) < 0:
            await self._fill()
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 2]
        return line

    async def _exactly(self, count):
        while len(self.buffer) < count:
            await self._fill()
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    async def head(self):
        """(status, headers with lower-case names)."""
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            await self._fill()
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        del self.buffer[: end + 4]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("connection", "").lower() == "close":
            self.reusable = False
        return status, headers

    async def chunks(self, headers):
        """The body's pieces as they arrive (chunked or Content-Length)."""
        if "content-length" in headers:
            remaining = int(headers["content-length"])
            while remaining > 0:
                if not self.buffer:
                    await self._fill(min(remaining, 65536))
                piece = bytes(self.buffer[:remaining])
                del self.buffer[: len(piece)]
                remaining -= len(piece)
                yield piece
            return
        if headers.get("transfer-encoding", "").lower() != "chunked":
            raise ValueError("a response with neither Content-Length nor chunked encoding")
        while True:
            size = int((await self._line()).split(b";")[0], 16)
            if size == 0:
                while await self._line():  # trailers, then the empty line
                    pass
                return
            yield await self._exactly(size)
            if await self._exactly(2) != b"\r\n":
                raise ValueError("chunk not followed by CRLF")

    async def body(self, headers):
        return b"".join([piece async for piece in self.chunks(headers)])


def request_bytes(port, key, body, endpoint, extra_headers=()):
    payload = json.dumps(body).encode()
    lines = [
        "POST /v1/chat/completions HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: Bearer {key}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        f"x-bt-endpoint-name: {endpoint}",
        *extra_headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def sse_events(body):
    return [block[len(b"data: "):] for block in body.split(b"\n\n") if block.startswith(b"data: ")]


def streamed_text(body):
    """The content deltas of an OpenAI SSE body joined, and whether it ended with [DONE]."""
    events = sse_events(body)
    text = []
    for event in events:
        if event == b"[DONE]":
            continue
        for choice in json.loads(event).get("choices", []):
            text.append(choice.get("delta", {}).get("content") or "")
    return "".join(text), bool(events) and events[-1] == b"[DONE]"


class Outcome:
    """How one request ended: a label for the counts, and whether its kind meant it to end so."""

    def __init__(self, label, expected):
        self.label = label
        self.expected = expected


class Load:
    """The request kinds. Each returns an Outcome; an exception is an unexpected outcome."""

    def __init__(self, port, key, rng):
        self.port = port
        self.key = key
        self.rng = rng
        self.serial = 0

    def prompt(self, words):
        self.serial += 1
        return f"soak {self.serial} " + " ".join(self.rng.choice(WORDS) for _ in range(words))

    async def call(self, connection, body, endpoint, extra_headers=()):
        await connection.send(request_bytes(self.port, self.key, body, endpoint, extra_headers))
        status, headers = await connection.head()
        return status, headers, await connection.body(headers)

    def chat(self, content, stream=False, **fields):
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **fields}
        if stream:
            body["stream"] = True
        return body

    async def plain(self, connection):
        content = self.prompt(12)
        status, _, body = await self.call(connection, self.chat(content, temperature=1), "healthy")
        if status != 200:
            return Outcome(f"status {status}", False)
        reply = json.loads(body)["choices"][0]["message"]["content"]
        return Outcome("200", True) if reply == "Mock reply to: " + content else Outcome("200, wrong reply", False)

    async def stream(self, connection):
        content = self.prompt(12)
        status, _, body = await self.call(connection, self.chat(content, stream=True, temperature=1), "healthy")
        if status != 200:
            return Outcome(f"status {status}", False)
        text, done = streamed_text(body)
        if text == "Mock reply to: " + content and done:
            return Outcome("200, [DONE]", True)
        return Outcome("200, incomplete stream", False)

    async def cache_hit(self, connection, stream):
        # 24 fixed prompts with a seed: after the first call for each, every call is a hit.
        content = f"cached question {self.rng.randrange(24)}"
        status, headers, body = await self.call(connection, self.chat(content, stream=stream, seed=7), "healthy")
        if status != 200:
            return Outcome(f"status {status}", False)
        text, done = streamed_text(body) if stream else (json.loads(body)["choices"][0]["message"]["content"], True)
        if text != "Mock reply to: " + content or not done:
            return Outcome("200, wrong reply", False)
        cached = headers.get("x-bt-cached", "no x-bt-cached")
        return Outcome(f"200, {cached}", cached in ("HIT", "MISS"))

    async def hit_plain(self, connection):
        return await self.cache_hit(connection, stream=False)

    async def hit_stream(self, connection):
        return await self.cache_hit(connection, stream=True)

    async def upstream_error(self, connection, endpoint, expected_status):
        stream = self.rng.random() < 0.5
        status, _, body = await self.call(connection, self.chat(self.prompt(4), stream=stream), endpoint)
        try:
            json.loads(body)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            return Outcome(f"status {status}, not an OpenAI error body", False)
        return Outcome(f"status {status}", status == expected_status)

    async def upstream_429(self, connection):
        return await self.upstream_error(connection, "rate-limited", 429)

    async def upstream_500(self, connection):
        return await self.upstream_error(connection, "failing", 500)

    async def upstream_cut(self, connection):
        # The mock resets its connection after 3 content chunks: the client gets them, then an
        # SSE error event, then a clean end of the body (no [DONE]).
        status, _, body = await self.call(connection, self.chat(self.prompt(20), stream=True), "cut")
        events = sse_events(body)
        if status == 200 and events and b"upstream_stream_error" in events[-1]:
            return Outcome("200, error event after the cut", True)
        return Outcome(f"status {status}, {len(events)} events, no error event", False)

    async def cancel_mid_stream(self, connection):
        # The slow mock sends an event every 50 ms: read a few, then go away (FIN or RST).
        await connection.send(request_bytes(self.port, self.key, self.chat(self.prompt(30), stream=True), "slow"))
        status, headers = await connection.head()
        if status != 200:
            return Outcome(f"status {status}", False)
        wanted, seen = self.rng.randint(1, 5), 0
        async for piece in connection.chunks(headers):
            seen += piece.count(b"data: ")
            if seen >= wanted:
                reset = self.rng.random() < 0.5
                connection.close(reset=reset)
                return Outcome("closed mid-stream (RST)" if reset else "closed mid-stream (FIN)", True)
        return Outcome("stream ended before the client left", False)

    async def cancel_before_head(self, connection):
        # The slow mock waits 500 ms before its head: leave while the proxy is still waiting.
        stream = self.rng.random() < 0.5
        await connection.send(request_bytes(self.port, self.key, self.chat(self.prompt(6), stream=stream), "slow"))
        try:
            status, _ = await asyncio.wait_for(connection.head(), timeout=self.rng.uniform(0.05, 0.2))
            return Outcome(f"head ({status}) arrived before the client left", False)
        except asyncio.TimeoutError:
            connection.close(reset=self.rng.random() < 0.5)
            return Outcome("closed before the head", True)

    async def slow_reader(self, connection):
        # A long streamed reply (24,000 events, ~6 MB) read 8 KiB every 20 ms (~400 KB/s) through
        # a small receive buffer. The reply is longer than the kernel absorbs (the proxy's socket
        # queue tops out near 2.3 MB on loopback), so the proxy's writer waits and curl pauses the
        # upstream transfer: seen with `ss -tm` as the mock's own send queue filling up.
        content = self.prompt(24000)
        connection.read_size, connection.pause = 8192, 0.02
        status, _, body = await self.call(connection, self.chat(content, stream=True), "large")
        if status != 200:
            return Outcome(f"status {status}", False)
        # Parsing 24,000 events takes a while: off the event loop, so the other clients' timing holds.
        text, done = await asyncio.to_thread(streamed_text, body)
        return Outcome("200, [DONE]", True) if text == "Mock reply to: " + content and done else Outcome("200, incomplete", False)


# Kinds the mixed workers draw from, with weights (share of requests).
MIX = {
    "plain": 20,
    "stream": 20,
    "hit_plain": 14,
    "hit_stream": 14,
    "upstream_429": 6,
    "upstream_500": 6,
    "upstream_cut": 6,
    "cancel_mid_stream": 7,
    "cancel_before_head": 7,
}
TIMEOUT = {"slow_reader": 120}


class Stats:
    def __init__(self):
        self.counts = collections.Counter()  # (kind, label, expected) -> n
        self.latencies = collections.defaultdict(list)  # (kind, label) -> seconds, intended outcomes only
        self.done = 0
        self.unexpected = 0
        self.proxy_gone = None  # why the load stopped early: the proxy exited

    def add(self, kind, outcome, seconds):
        self.counts[(kind, outcome.label, outcome.expected)] += 1
        self.done += 1
        if outcome.expected:
            self.latencies[(kind, outcome.label)].append(seconds)
        else:
            self.unexpected += 1


async def run_kind(load, stats, kind, connection, receive_buffer=None):
    """One request of `kind` on `connection` (or a new one); returns the connection to reuse."""
    if connection is None or not connection.reusable:
        try:
            connection = await Connection.open(load.port, receive_buffer)
        except OSError as error:
            stats.add(kind, Outcome(f"connect failed: {error.strerror}", False), 0)
            await asyncio.sleep(0.1)
            return None
    started = time.monotonic()
    try:
        outcome = await asyncio.wait_for(getattr(load, kind)(connection), TIMEOUT.get(kind, 30))
    except asyncio.TimeoutError:
        outcome = Outcome("timed out", False)
    except (Closed, OSError, ValueError) as error:
        outcome = Outcome(f"{type(error).__name__} {error}".strip(), False)
    stats.add(kind, outcome, time.monotonic() - started)
    if not outcome.expected and connection.reusable:
        connection.close()
    return connection


async def mixed_worker(load, stats, deadline, think):
    connection = None
    kinds, weights = list(MIX), list(MIX.values())
    while time.monotonic() < deadline and not stats.proxy_gone:
        kind = load.rng.choices(kinds, weights)[0]
        connection = await run_kind(load, stats, kind, connection)
        if connection and connection.reusable and load.rng.random() < 0.05:
            connection.close()  # some connection churn besides the cancels
        await asyncio.sleep(think * load.rng.uniform(0.5, 1.5))
    if connection:
        connection.close()


async def slow_worker(load, stats, deadline):
    connection = None
    while time.monotonic() < deadline and not stats.proxy_gone:
        connection = await run_kind(load, stats, "slow_reader", connection, receive_buffer=8192)
    if connection:
        connection.close()


def tcp_ports():
    """socket inode -> (local port, remote port, listening) for this network namespace's TCP sockets."""
    table = {}
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as sockets:
            next(sockets)
            for line in sockets:
                fields = line.split()
                local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
                table[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16), state == "0A")
    return table


def sample_process(pid, proxy_port, redis_port, mock_ports):
    """VmRSS kB, VmHWM kB, threads, open fds, and the fds by what they are (see FD_KINDS)."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    kinds = collections.Counter()
    tcp = tcp_ports()
    names = os.listdir(f"/proc/{pid}/fd")
    for name in names:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{name}")
        except FileNotFoundError:  # closed since the listing
            continue
        if not target.startswith("socket:["):
            kinds["fds_other"] += 1
            continue
        local, remote, listening = tcp.get(target[len("socket:["):-1], (None, None, False))
        if listening:
            kinds["fds_other"] += 1
        elif local == proxy_port:
            kinds["fds_clients"] += 1
        elif remote in mock_ports:
            kinds["fds_upstream"] += 1
        elif remote == redis_port:
            kinds["fds_redis"] += 1
        else:
            kinds["fds_other"] += 1
    return [int(fields["VmRSS"][0]), int(fields["VmHWM"][0]), int(fields["Threads"][0]), len(names)] + [kinds[kind] for kind in FD_KINDS]


# Open fds by what they are: sockets of clients (accepted on the proxy's port), sockets to the mock
# upstreams, sockets to Redis, and the rest (listening sockets, epoll, eventfds, pipes, files).
FD_KINDS = ["fds_clients", "fds_upstream", "fds_redis", "fds_other"]


class Sampler:
    COLUMNS = ["elapsed_s", "phase", "rss_kb", "hwm_kb", "threads", "fds", *FD_KINDS, "requests", "unexpected"]

    def __init__(self, pid, path, stats, ports):
        self.pid = pid
        self.stats = stats
        self.ports = ports  # (proxy port, redis port, mock ports)
        self.start = time.monotonic()
        self.rows = []
        self.file = open(path, "w")
        self.file.write(",".join(self.COLUMNS) + "\n")

    def sample(self, phase):
        try:
            process = sample_process(self.pid, *self.ports)
        except (FileNotFoundError, ProcessLookupError):
            self.stats.proxy_gone = f"aiproxy (pid {self.pid}) exited during the soak, {time.monotonic() - self.start:.0f} s in"
            return
        row = [round(time.monotonic() - self.start, 1), phase, *process, self.stats.done, self.stats.unexpected]
        self.rows.append(dict(zip(self.COLUMNS, row)))
        self.file.write(",".join(map(str, row)) + "\n")
        self.file.flush()

    async def every(self, interval, phase, until):
        while time.monotonic() < until and not self.stats.proxy_gone:
            await asyncio.sleep(min(interval, max(0, until - time.monotonic())))
            self.sample(phase)


async def clear_mock_logs(ports, every, until):
    """The mocks keep every request in a log: empty it now and then so they stay small."""
    while time.monotonic() < until:
        await asyncio.sleep(every)
        for port in ports:
            try:
                connection = await Connection.open(port)
                await connection.send(f"DELETE /__mock/requests HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n".encode())
                await asyncio.wait_for(connection.head(), 5)
                connection.close()
            except (OSError, Closed, asyncio.TimeoutError) as error:
                print(f"soak: clearing mock {port}'s log failed: {error}", file=sys.stderr)


def growth(rows, column, warmup, window, end):
    """(baseline median, final median, median growth, max after warm-up, max growth)."""
    after = [row for row in rows if row["phase"] == "load" and row["elapsed_s"] >= warmup]
    first = [row[column] for row in after if row["elapsed_s"] < warmup + window]
    last = [row[column] for row in after if row["elapsed_s"] > end - window]
    if not first or not last:
        raise SystemExit(f"soak: too few samples after warm-up for {column}")
    base, final, peak = statistics.median(first), statistics.median(last), max(row[column] for row in after)
    relative = (lambda value: (value - base) / base) if base else (lambda value: float("nan"))
    return base, final, relative(final), peak, relative(peak)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else float("nan")


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="the proxy's port on 127.0.0.1")
    parser.add_argument("--key", required=True, help="a proxy key of the org whose endpoints the load pins")
    parser.add_argument("--pid", type=int, required=True, help="the proxy's pid, sampled from /proc")
    parser.add_argument("--seconds", type=int, default=1800)
    parser.add_argument("--warmup", type=int, help="seconds left out of the growth check (default min(300, seconds/4))")
    parser.add_argument("--window", type=int, help="seconds whose median is compared, first and last (default min(60, (seconds-warmup)/3))")
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--workers", type=int, default=12, help="connections doing the mixed kinds")
    parser.add_argument("--slow-readers", type=int, default=2)
    parser.add_argument("--think-ms", type=float, default=20, help="mean pause between a worker's requests")
    parser.add_argument("--mock-ports", default="", help="comma-separated mock ports (request logs cleared, fds counted)")
    parser.add_argument("--redis-port", type=int, default=0, help="Redis's port (fds counted)")
    parser.add_argument("--out", default="Benchmarks/out")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    warmup = options.warmup if options.warmup is not None else min(300, options.seconds // 4)
    window = options.window or max(options.interval, min(60, (options.seconds - warmup) // 3))

    stats = Stats()
    load = Load(options.port, options.key, random.Random(options.seed))
    mock_ports = [int(port) for port in options.mock_ports.split(",") if port]
    sampler = Sampler(options.pid, os.path.join(options.out, "soak.csv"), stats, (options.port, options.redis_port, set(mock_ports)))
    sampler.sample("idle-before")
    started = time.monotonic()
    deadline = started + options.seconds
    print(f"soak: {options.seconds} s of mixed load on 127.0.0.1:{options.port} (pid {options.pid}), "
          f"{options.workers} mixed + {options.slow_readers} slow connections; warm-up {warmup} s, windows {window} s", flush=True)
    workers = [asyncio.create_task(mixed_worker(load, stats, deadline, options.think_ms / 1000)) for _ in range(options.workers)]
    workers += [asyncio.create_task(slow_worker(load, stats, deadline)) for _ in range(options.slow_readers)]
    helpers = [asyncio.create_task(sampler.every(options.interval, "load", deadline)),
               asyncio.create_task(clear_mock_logs(mock_ports, 60, deadline))]

    async def progress():
        while time.monotonic() < deadline:
            await asyncio.sleep(60)
            row = sampler.rows[-1]
            print(f"soak: {row['elapsed_s']:.0f} s, {stats.done} requests ({stats.unexpected} unexpected), "
                  f"RSS {row['rss_kb'] / 1024:.1f} MB, {row['fds']} fds", flush=True)
    helpers.append(asyncio.create_task(progress()))
    await asyncio.gather(*workers)
    for helper in helpers:
        helper.cancel()
    if stats.proxy_gone:
        print(f"soak: FAIL — {stats.proxy_gone}; {stats.done} requests, {stats.unexpected} unexpected", file=sys.stderr)
        return 1
    load_seconds = time.monotonic() - started
    end = sampler.rows[-1]["elapsed_s"]
    # Idle after the load: every client connection is closed.
    await sampler.every(options.interval, "idle-after", time.monotonic() + 2 * options.interval)
    sampler.file.close()

    with open(os.path.join(options.out, "soak-windows.json"), "w") as windows:
        json.dump({"warmup_s": warmup, "window_s": window, "load_end_s": end}, windows)
    rss = growth(sampler.rows, "rss_kb", warmup, window, end)
    fds = growth(sampler.rows, "fds", warmup, window, end)
    idle_before, idle_after = sampler.rows[0], sampler.rows[-1]
    failed = []
    lines = [
        f"Soak: {options.seconds} s of mixed load ({load_seconds:.0f} s measured), {stats.done} requests "
        f"({stats.done / load_seconds:.0f}/s), {options.workers} mixed + {options.slow_readers} slow-reader connections, "
        f"samples every {options.interval:.0f} s; growth = median of the last {window} s against the median of the "
        f"first {window} s after a {warmup} s warm-up.",
        "",
        "| measure | idle before | baseline (median) | final (median) | growth | max after warm-up | max growth | idle after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, column, (base, final, grew, peak, peak_grew), unit in (("RSS", "rss_kb", rss, "MB"), ("open fds", "fds", fds, "")):
        scale = (lambda kb: f"{kb / 1024:.1f} MB") if unit else (lambda n: f"{n:g}")
        lines.append(f"| {name} | {scale(idle_before[column])} | {scale(base)} | {scale(final)} | {grew:+.1%} | "
                     f"{scale(peak)} | {peak_grew:+.1%} | {scale(idle_after[column])} |")
        if grew > GROWTH_LIMIT:
            failed.append(f"{name} grew {grew:+.1%} (limit {GROWTH_LIMIT:.0%})")
    for column in FD_KINDS:
        base, final, grew, peak, _ = growth(sampler.rows, column, warmup, window, end)
        lines.append(f"| fds: {column[4:]} | {idle_before[column]} | {base:g} | {final:g} | | {peak} | | {idle_after[column]} |")
    lines.append(f"| threads | {idle_before['threads']} | | | | {max(r['threads'] for r in sampler.rows)} | | {idle_after['threads']} |")
    lines.append(f"| peak RSS (VmHWM) | | | | | {idle_after['hwm_kb'] / 1024:.1f} MB | | |")
    lines += ["", "| kind | outcome | requests | intended | p50 | p99 |", "|---|---|---|---|---|---|"]
    for (kind, label, expected), count in sorted(stats.counts.items(), key=lambda item: (list(MIX).index(item[0][0]) if item[0][0] in MIX else 99, -item[1])):
        latency = stats.latencies[(kind, label)]
        p50 = f"{percentile(latency, 0.5) * 1000:.0f} ms" if latency else ""
        p99 = f"{percentile(latency, 0.99) * 1000:.0f} ms" if latency else ""
        lines.append(f"| {kind} | {label} | {count} | {'yes' if expected else '**no**'} | {p50} | {p99} |")
    if stats.unexpected:
        failed.append(f"{stats.unexpected} requests ended in an outcome their kind was not meant to have")
    lines += ["", "Result: " + ("PASS" if not failed else "FAIL — " + "; ".join(failed))]
    report = "\n".join(lines) + "\n"
    with open(os.path.join(options.out, "soak-summary.md"), "w") as summary:
        summary.write(report)
    print(report, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
        sys.exit(130)
