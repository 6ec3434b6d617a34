#!/usr/bin/env python3
"""Writes each fuzz target's seed corpus: Tests/Fixtures, the repo's own config files and
Fuzz/Seeds, shaped as the target reads its input, plus every kept regression input as is.

usage: seeds.py OUT_DIR TARGET...   (writes OUT_DIR/TARGET/*, replacing what was there)

Targets with choices read an options byte first (FuzzInput); seeds are stored without it,
so each seed is written once per option byte listed for it here.
"""
import json
import pathlib
import shutil
import struct
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
SEEDS = ROOT / "Fuzz" / "Seeds"
REGRESSIONS = FIXTURES / "fuzz-regressions"

# ProviderHarness paths (options bits 0-1) and flags (bit 2 include_usage, bit 3 alternate operation).
RESPONSE, ERROR, STREAM, REQUEST = 0, 1, 2, 3
USAGE, ALTERNATE = 0x04, 0x08


def files(folder, *patterns):
    patterns = patterns or ("*",)
    return sorted(p for pattern in patterns for p in folder.glob(pattern) if p.is_file())


def sse_from_bedrock_jsonl(path):
    """converse-stream events (`{"event": name, "payload": {...}}` lines) as SSE text."""
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            event = json.loads(line)
            out.append(f"event: {event['event']}\ndata: {json.dumps(event['payload'], separators=(',', ':'))}\n\n")
    return "".join(out).encode()


def event_stream_message(headers, payload):
    """One AWS event-stream message with string headers (as MockUpstream's AWSEventStreamEncoder)."""
    header_bytes = b"".join(
        bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(value.encode())) + value.encode()
        for name, value in headers)
    prelude = struct.pack(">II", 16 + len(header_bytes) + len(payload), len(header_bytes))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + header_bytes + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event_stream_seeds():
    hex_text = (FIXTURES / "bedrock" / "aws-c-event-stream.multi.hex").read_text()
    yield "aws-c-event-stream.multi", bytes.fromhex("".join(c for c in hex_text if c in "0123456789abcdefABCDEF"))
    stream = b""
    for line in (FIXTURES / "bedrock" / "converse-stream.tool_use.events.jsonl").read_text().splitlines():
        event = json.loads(line)
        stream += event_stream_message(
            [(":event-type", event["event"]), (":content-type", "application/json"), (":message-type", "event")],
            json.dumps(event["payload"], separators=(",", ":")).encode())
    yield "converse-stream.tool_use", stream
    yield "exception", event_stream_message(
        [(":exception-type", "throttlingException"), (":content-type", "application/json"), (":message-type", "exception")],
        b'{"message":"Too many requests"}')
    yield "error", event_stream_message([(":message-type", "error"), (":error-code", "E"), (":error-message", "boom")], b"")


def provider_seeds(provider):
    """(name, options bytes, payload) for a ProviderHarness target."""
    folders = [FIXTURES / provider, SEEDS / provider]
    for path in (p for folder in folders for p in files(folder, "*.json")):
        if path.name.startswith("error."):
            yield path.name, [ERROR, ERROR | 0x70, ERROR | 0xD0], path.read_bytes()
        elif path.name.endswith(".response.json"):
            yield path.name, [RESPONSE, RESPONSE | ALTERNATE | USAGE], path.read_bytes()
    for path in (p for folder in folders for p in files(folder, "*.upstream.sse", "*.stream.sse")):
        yield path.name, [STREAM, STREAM | USAGE, STREAM | ALTERNATE], path.read_bytes()
    for path in files(FIXTURES / provider, "*.events.jsonl"):
        yield path.name + ".sse", [STREAM, STREAM | USAGE], sse_from_bedrock_jsonl(path)
    for path in files(SEEDS / "requests") + files(FIXTURES, "*/*.request.json"):
        yield path.name, [REQUEST, REQUEST | ALTERNATE], path.read_bytes()


def seeds(target):
    """(name, options bytes or None, payload) for `target`."""
    if target == "http":
        for path in files(SEEDS / "http"):
            # 4 KiB heads and 1 KiB bodies read 1, 7 and 16 bytes at a time; 64-byte heads, no body.
            yield path.name, [0x0A, 0x6A, 0xFA, 0x00], path.read_bytes()
    elif target == "json":
        for path in files(FIXTURES, "*/*.json") + files(SEEDS / "json"):
            yield path.parent.name + "-" + path.name, None, path.read_bytes()
        for path in files(FIXTURES, "*/*.jsonl"):
            for number, line in enumerate(path.read_bytes().splitlines()):
                yield f"{path.name}-{number}", None, line
    elif target == "toml":
        for path in [ROOT / "wrangler.toml"] + files(ROOT / "deploy", "*.toml") + files(SEEDS / "toml"):
            yield path.name, None, path.read_bytes()
    elif target == "devvars":
        for path in [ROOT / ".dev.vars.example"] + files(SEEDS / "devvars"):
            yield path.name, None, path.read_bytes()
    elif target == "sse":
        for path in files(FIXTURES, "*/*.sse"):
            yield path.parent.name + "-" + path.name, None, path.read_bytes()
    elif target == "eventstream":
        for name, payload in event_stream_seeds():
            yield name, None, payload
    elif target == "openai":
        # OpenAI's format: the translated Anthropic fixtures are what an OpenAI upstream sends.
        for path in files(FIXTURES, "*/*.expected.json"):
            yield path.name, [RESPONSE], path.read_bytes()
        for path in files(FIXTURES, "*/*.expected.sse"):
            yield path.name, [STREAM, STREAM | ALTERNATE], path.read_bytes()
        for path in files(SEEDS / "requests") + files(FIXTURES, "*/*.request.json"):
            yield path.name, [REQUEST, REQUEST | ALTERNATE], path.read_bytes()
    elif target in ("anthropic", "bedrock", "google"):
        yield from provider_seeds(target)
    else:
        sys.exit(f"seeds.py: unknown target {target}")


def main():
    out, targets = pathlib.Path(sys.argv[1]), sys.argv[2:]
    for target in targets:
        folder = out / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        count = 0
        for name, options, payload in seeds(target):
            for option in options if options is not None else [None]:
                prefix = b"" if option is None else bytes([option])
                suffix = "" if option is None else f".{option:02x}"
                (folder / f"{name}{suffix}").write_bytes(prefix + payload)
                count += 1
        for path in files(REGRESSIONS / target):
            shutil.copy(path, folder / ("regression-" + path.name))
            count += 1
        print(f"{target}: {count} seeds")


if __name__ == "__main__":
    main()
