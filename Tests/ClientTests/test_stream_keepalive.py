"""SSE keep-alive before the first token, through a real load balancer: haproxy with a 30 s
`timeout server` in front of the proxy, a model whose first token comes after 70 s. With the
proxy's keep-alive (the default, a comment every 15 s) the openai and anthropic SDKs get the whole
stream and never see a comment; with it off, haproxy cuts the same call at 30 s."""
import concurrent.futures
import os
import shutil
import subprocess
import tempfile
import time

import anthropic
import openai
import pytest

from conftest import Mock, Proxy, free_port, wait_for

FIRST_TOKEN_AFTER_MS = 70_000
HAPROXY_TIMEOUT_SERVER = "30s"


class Haproxy:
    """haproxy on loopback in front of one proxy, cutting a server silent for 30 s."""

    def __init__(self, backend_port):
        self.dir = tempfile.mkdtemp(prefix="aiproxy-haproxy-")
        self.port = free_port()
        config = os.path.join(self.dir, "haproxy.cfg")
        with open(config, "w") as f:
            f.write(f"""defaults
    mode http
    timeout connect 5s
    timeout client {HAPROXY_TIMEOUT_SERVER}
    timeout server {HAPROXY_TIMEOUT_SERVER}
frontend front
    bind 127.0.0.1:{self.port}
    default_backend proxies
backend proxies
    server proxy 127.0.0.1:{backend_port}
""")
        self.process = subprocess.Popen(["haproxy", "-db", "-f", config], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        wait_for(f"http://127.0.0.1:{self.port}/healthz")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def slow_models():
    """An OpenAI and a Claude mock whose replies start after 70 s; two proxies (keep-alive on by
    default, and off), each behind its own haproxy."""
    openai_mock, claude_mock = Mock("slow-openai"), Mock("slow-claude", "anthropic", api_key="sk-ant-mock")
    for mock in (openai_mock, claude_mock):
        mock.behave(latency_ms=FIRST_TOKEN_AFTER_MS)
    started = [openai_mock, claude_mock]
    try:
        kept = Proxy(openai_mock, variables={"UPSTREAM_TIMEOUT_SECONDS": "120", "ANTHROPIC_BASE_URL": claude_mock.base_url})
        started.append(kept)
        off = Proxy(openai_mock, variables={"UPSTREAM_TIMEOUT_SECONDS": "120", "STREAM_KEEPALIVE_SECONDS": "0"})
        started.append(off)
        started.append(Haproxy(kept.port))
        started.append(Haproxy(off.port))
        yield started[-2], started[-1]
    finally:
        for process in reversed(started):
            process.stop()


def openai_stream(base_url):
    client = openai.OpenAI(api_key="sk-raw-key", base_url=base_url, max_retries=0, timeout=150)
    stream = client.chat.completions.create(model="gpt-4o-mini", stream=True,
                                            messages=[{"role": "user", "content": "think hard"}])
    chunks = list(stream)
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices), chunks


def anthropic_stream(base_url):
    client = anthropic.Anthropic(api_key="sk-ant-mock", base_url=f"{base_url}/anthropic", max_retries=0, timeout=150)
    with client.messages.stream(model="claude-3-5-sonnet-latest", max_tokens=100,
                                messages=[{"role": "user", "content": "think hard"}]) as stream:
        events = list(stream)
        return stream.get_final_message(), events


def test_a_first_token_after_70s_arrives_through_a_30s_haproxy_and_sdks_ignore_the_comments(slow_models):
    kept, off = slow_models
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        chat = pool.submit(openai_stream, kept.base_url)
        claude = pool.submit(anthropic_stream, kept.base_url)
        cut = pool.submit(openai_stream, off.base_url)

        text, chunks = chat.result()
        assert time.monotonic() - started >= FIRST_TOKEN_AFTER_MS / 1000, "the mock really was slow"
        assert text.endswith("reply to: think hard")
        assert chunks[-1].choices[0].finish_reason == "stop" or any(
            c.choices and c.choices[0].finish_reason == "stop" for c in chunks)

        message, events = claude.result()
        assert message.content[0].text == "Mock Claude reply to: think hard"
        assert message.stop_reason == "end_turn"
        assert events[0].type == "message_start", "the SDK saw no event before the stream's own"

        # Without keep-alive, the same wait is cut by haproxy's 30 s timeout: the test can fail.
        with pytest.raises(openai.APIStatusError) as failure:
            cut.result()
        assert failure.value.status_code == 504
