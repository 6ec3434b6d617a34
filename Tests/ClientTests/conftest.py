"""Fixtures: real `mock-upstream` and `aiproxy` processes on free loopback ports."""
import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "debug")
MASTER_KEY = "client-tests-master-key"
ADMIN_TOKEN = "client-test-admin-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(count):
    """The first of `count` consecutive free ports (fleet instances listen on consecutive ports)."""
    for _ in range(100):
        first = free_port()
        if first + count > 65535:
            continue
        sockets = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no block of free ports")


def wait_for(url, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer")


class Mock:
    """A mock-upstream process speaking one provider's wire format, with its control API."""

    # Where each provider's API is mounted, as its real base URL has it.
    MOUNTS = {"openai": "/v1", "anthropic": "/v1", "google": "/v1beta", "bedrock": ""}

    def __init__(self, name, provider="openai", api_key=None):
        binary = os.path.join(BIN, "mock-upstream")
        if not os.path.exists(binary):
            raise RuntimeError(f"{binary} is missing: run `swift build` first")
        arguments = [binary, "--port", "0", "--name", name, "--provider", provider]
        if api_key:
            arguments += ["--api-key", api_key]
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        self.port = int(line.split()[-1])
        self.base_url = f"http://127.0.0.1:{self.port}{self.MOUNTS[provider]}"

    def behave(self, **behaviour):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/__mock/behavior", data=json.dumps(behaviour).encode(), method="POST")
        urllib.request.urlopen(request).close()

    @contextlib.contextmanager
    def behaving(self, **behaviour):
        """The mock misbehaves as asked inside the `with` block, and behaves again after it."""
        self.behave(**behaviour)
        try:
            yield self
        finally:
            self.behave()

    def requests(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__mock/requests") as response:
            return json.loads(response.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


# The chat-translated providers' mocks: endpoint name, the key the mock wants, the endpoint's
# secret (Bedrock's is ACCESS_KEY_ID:SECRET) and options.
TRANSLATED_PROVIDERS = {
    "anthropic": ("claude", "sk-ant-mock", "sk-ant-mock", None),
    "google": ("gemini", "AIza-mock", "AIza-mock", None),
    "bedrock": ("bedrock", "AKIDMOCK", "AKIDMOCK:mock-secret", {"region": "us-west-2"}),
}


@contextlib.contextmanager
def translated_providers(org, openai_api_key=None, openai_endpoint=False):
    """A Claude, a Gemini, a Bedrock and an OpenAI mock; a proxy whose provider keys go to the
    OpenAI mock and whose `org` has one endpoint per translated mock (claude, gemini, bedrock) and,
    with `openai_endpoint`, one for the OpenAI mock; and a key of `org`. Yields (proxy, key, mocks),
    the mocks by provider type ("openai" too), and stops every one of them after, setup failing or not."""
    mocks = {}
    try:
        for provider, (_, key, _, _) in TRANSLATED_PROVIDERS.items():
            mocks[provider] = Mock(provider, provider, api_key=key)
        mocks["openai"] = Mock("openai", "openai", api_key=openai_api_key)
        proxy = Proxy(mocks["openai"])
        try:
            if openai_endpoint:
                proxy.add_endpoint(org, "openai", mocks["openai"].base_url, secret=openai_api_key or "upstream-secret")
            for provider, (name, _, secret, options) in TRANSLATED_PROVIDERS.items():
                proxy.add_endpoint(org, name, mocks[provider].base_url, secret=secret, kind=provider, options=options)
            yield proxy, proxy.create_key(org), mocks
        finally:
            proxy.stop()
    finally:
        for mock in mocks.values():
            mock.stop()


class AdminCLI:
    """`aiproxy`'s admin commands against a config's control store: `self.binary`, `self.env` and
    `admin_config()` come from the class using it."""

    def admin(self, *arguments, **env):
        result = subprocess.run([self.binary, *arguments, "--config", self.admin_config()], env=dict(self.env, **env),
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def create_key(self, org):
        return self.admin("keys", "create", "--org", org).strip().splitlines()[-1]

    def add_endpoint(self, org, name, base_url, secret="upstream-secret", models=None, kind="openai", options=None):
        arguments = ["endpoints", "add", "--org", org, "--name", name, "--type", kind, "--base-url", base_url, "--secret-env", "ENDPOINT_SECRET"]
        if models:
            arguments += ["--models", ",".join(models)]
        for key, value in (options or {}).items():
            arguments += ["--option", f"{key}={value}"]
        self.admin(*arguments, ENDPOINT_SECRET=secret)


class Proxy(AdminCLI):
    """An aiproxy process with file KV in a temp dir, provider keys sent to `default_mock`."""

    def __init__(self, default_mock, variables=None, environment=None):
        binary = os.path.join(BIN, "aiproxy")
        if not os.path.exists(binary):
            raise RuntimeError(f"{binary} is missing: run `swift build` first")
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="aiproxy-client-")
        self.port = free_port()
        self.config = os.path.join(self.dir, "wrangler.toml")
        with open(self.config, "w") as f:
            f.write(f"""name = "client-tests"
[vars]
OPENAI_BASE_URL = "{default_mock.base_url}"
{"".join(f'{name} = "{value}"{chr(10)}' for name, value in ({"UPSTREAM_TIMEOUT_SECONDS": "10"} | (variables or {})).items())}
[[kv_namespaces]]
binding = "CACHE"
backend = "file"
path = "{self.dir}/cache"
[[kv_namespaces]]
binding = "CONTROL"
backend = "file"
path = "{self.dir}/control"
[dev]
port = {self.port}
""")
        self.env = dict(os.environ, AIPROXY_MASTER_KEY=MASTER_KEY, **(environment or {}))
        self.url = f"http://127.0.0.1:{self.port}"
        self.base_url = f"{self.url}/v1"
        self.start()

    def start(self):
        self.process = subprocess.Popen([self.binary, "--config", self.config], env=self.env, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"{self.url}/healthz")
        except Exception:
            self.stop()  # a proxy that never answered is not left running
            raise

    def restart(self, **variables):
        """Stops the process and starts it again on the same port and KV, with `variables` added to [vars]."""
        self.stop()
        with open(self.config) as f:
            config = f.read()
        added = "".join(f'{name} = "{value}"\n' for name, value in variables.items())
        with open(self.config, "w") as f:
            f.write(config.replace("[vars]\n", "[vars]\n" + added, 1))
        self.start()

    def admin_config(self):
        return self.config

    def cache_entry_count(self):
        return sum(len([f for f in files if not f.startswith(".")]) for _, _, files in os.walk(os.path.join(self.dir, "cache")))

    def wait_for_cache_entries(self, count, timeout=5):
        """Cache writes happen after the response (waitUntil): wait until `count` entries exist."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.cache_entry_count() >= count:
                return
            time.sleep(0.01)
        raise AssertionError(f"fewer than {count} cache entries after {timeout}s")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def mock():
    started = Mock("primary")
    yield started
    started.stop()


@pytest.fixture
def mock_factory():
    mocks = []

    def make(name):
        mocks.append(Mock(name))
        return mocks[-1]

    yield make
    for started in mocks:
        started.stop()


@pytest.fixture
def proxy(mock):
    started = Proxy(mock)
    yield started
    started.stop()


class Fleet(AdminCLI):
    """deploy/fleet.sh with free ports and the debug binary: Redis, N instances, haproxy."""

    def __init__(self, size, admin=False):
        self.binary = os.path.join(BIN, "aiproxy")
        self.dir = tempfile.mkdtemp(prefix="aiproxy-fleet-")
        self.first = free_port_block(size)
        self.front, self.redis = free_port(), free_port()
        while self.first <= self.front < self.first + size or self.first <= self.redis < self.first + size:
            self.front, self.redis = free_port(), free_port()
        self.env = dict(os.environ, AIPROXY_MASTER_KEY=MASTER_KEY, FLEET_STATE=self.dir, FRONT_PORT=str(self.front),
                        FIRST_PORT=str(self.first), REDIS_PORT=str(self.redis), BIN=os.path.join(BIN, "aiproxy"))
        self.size = size
        self.admin_urls = []
        if admin:
            first_admin = free_port_block(size)
            self.env.update(ADMIN_FIRST_PORT=str(first_admin), AIPROXY_ADMIN_TOKEN=ADMIN_TOKEN)
            self.admin_urls = [f"http://127.0.0.1:{first_admin + i}" for i in range(size)]
        result = subprocess.run([os.path.join(ROOT, "deploy", "fleet.sh"), "start", str(size)], env=self.env,
                                capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr
        self.url = f"http://127.0.0.1:{self.front}"
        self.instance_urls = [f"http://127.0.0.1:{self.first + i}" for i in range(size)]

    def config(self, index=1):
        return os.path.join(self.dir, f"instance-{index}.toml")

    def admin_config(self):
        return self.config()

    def stop(self):
        subprocess.run([os.path.join(ROOT, "deploy", "fleet.sh"), "stop"], env=self.env, cwd=ROOT, timeout=60)
