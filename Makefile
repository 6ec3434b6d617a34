# swift-ai-proxy — every target installs what it needs first (fresh Debian, root or sudo).
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libevent-dev libhiredis-dev pkg-config redis-server haproxy curl openssl python3-venv
BENCH_PACKAGES := wrk nginx-light
SWIFT_BUILD_FLAGS ?=
CONFIG ?= wrangler.toml

.PHONY: deps build release run test client-test bench lint clean fleet fleet-stop fuzz

# Installs the Debian packages the build and the tests use, only when one is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# Static Swift stdlib and Foundation: the shared-library pages of a dynamic build alone
# put idle RSS over the 25 MB target (see BENCHMARKS.md).
RELEASE_FLAGS := -c release -Xswiftc -static-stdlib

release: deps
	swift build $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# Serves on 127.0.0.1:8787 with the file KV under kv-data/.
run: release
	mkdir -p kv-data
	.build/release/aiproxy --config $(CONFIG)

# `swift build` first: the integration tests run the built `aiproxy` binary.
test: deps lint
	swift build $(SWIFT_BUILD_FLAGS)
	swift test $(SWIFT_BUILD_FLAGS)
	$(MAKE) client-test

# The real `openai` Python SDK against the built proxy and mock (Tests/ClientTests).
VENV := .venv
client-test: deps
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV) || { $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	@$(VENV)/bin/python -c 'import openai, anthropic, httpx, pytest, pytest_timeout' 2>/dev/null || $(VENV)/bin/pip install -q openai anthropic httpx pytest pytest-timeout
	swift build $(SWIFT_BUILD_FLAGS)
	$(VENV)/bin/python -m pytest -q --timeout 120 Tests/ClientTests

# The worker may use EdgeRuntime's public API only (STYLE §1).
lint:
	@if [ -d Sources/AIProxy ] && grep -rnE '^(@_implementationOnly |internal |public )?import C[A-Z]' Sources/AIProxy; then \
		echo "lint: Sources/AIProxy must not import C modules"; exit 1; fi

# libFuzzer + ASan targets for the parsers and translators (Fuzz/README.md), each run for
# FUZZ_SECONDS (60) or FUZZ_RUNS executions: `make fuzz`, `make fuzz TARGET=json`.
# libFuzzer ships with the Swift toolchain; the seed script needs python3 (in APT_PACKAGES).
fuzz: deps
	Fuzz/run.sh $(TARGET)

bench: release
	@missing=""; for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi
	Benchmarks/run.sh
	Benchmarks/proxy.sh
	Benchmarks/providers.sh
	Benchmarks/fleet.sh

# Redis, FLEET_SIZE instances and haproxy in front (see README "Running a fleet").
FLEET_SIZE ?= 3
fleet: release
	deploy/fleet.sh start $(FLEET_SIZE)

fleet-stop:
	deploy/fleet.sh stop

clean:
	rm -rf .build
