# swift-ai-proxy — every target installs what it needs first (fresh Debian, root or sudo).
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcurl4-openssl-dev libssl-dev libevent-dev libhiredis-dev pkg-config redis-server haproxy curl openssl python3-venv
BENCH_PACKAGES := wrk nginx-light valgrind openssl
# The admin page's browser test: headless Chromium and its driver, from Debian.
TEST_PACKAGES := chromium chromium-driver
SWIFT_BUILD_FLAGS ?=
CONFIG ?= wrangler.toml
# More flags for `make run`, e.g. ARGS="--admin-port 8001".
ARGS ?=

.PHONY: deps build release run demo test sanitize client-test bench soak fuzz lint clean fleet fleet-stop

# Installs the Debian packages the build and the tests use, only when one is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# Static Swift stdlib: the shared-library pages of a dynamic build alone put idle RSS over
# the 25 MB target (see BENCHMARKS.md).
RELEASE_FLAGS := -c release -Xswiftc -static-stdlib

release: deps
	swift build $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# Serves on 127.0.0.1:8787 with the file KV under kv-data/.
run: release
	mkdir -p kv-data
	.build/release/aiproxy --config $(CONFIG) $(ARGS)

# A full round trip offline: the mock provider, a key, the proxy and its admin page (deploy/demo.sh).
demo: release
	deploy/demo.sh

# `swift build` first: the integration tests run the built `aiproxy` binary.
test: deps lint
	swift build $(SWIFT_BUILD_FLAGS)
	swift test $(SWIFT_BUILD_FLAGS)
	$(MAKE) client-test
	# `make run`'s build too: the release optimizer can crash where the debug build doesn't (it did).
	$(MAKE) release

# The Swift tests under AddressSanitizer (with LeakSanitizer), then ThreadSanitizer, one after
# the other. Each builds into its own scratch path, the `aiproxy` binary too: the integration
# tests run the one built beside them. Reports go to files (log_path), because those tests
# discard the proxy's stderr; any file there fails the run (print_suppressions=0, so a clean run
# writes none). --no-parallel: sanitized code runs 2-15x slower, and suites racing each other on
# two cores then miss the wall-clock bounds some tests assert (header deadline, lingering close);
# `make test` keeps the parallel run. --disable-xctest: every test is swift-testing, and XCTest's
# empty pass leaks its own suite objects. Suppressions, each with its reason: Tests/Sanitizers/.
SANITIZER_DIR := $(CURDIR)/Tests/Sanitizers
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$(CURDIR)/.build-asan/sanitizer-reports/asan \
	LSAN_OPTIONS=suppressions=$(SANITIZER_DIR)/lsan.supp:print_suppressions=0
# halt_on_error=0: a ThreadSanitizer run is slow, so it reports every race it sees (and exits
# non-zero) rather than stopping at the first; history_size=4 keeps the earlier access's stack.
TSAN_ENV := TSAN_OPTIONS=halt_on_error=0:history_size=4:print_suppressions=0:suppressions=$(SANITIZER_DIR)/tsan.supp:log_path=$(CURDIR)/.build-tsan/sanitizer-reports/tsan

# $(1): address or thread; $(2): scratch path; $(3): the sanitizer's environment.
define sanitized-swift-test
	swift build --build-tests --sanitize=$(1) --scratch-path $(2) $(SWIFT_BUILD_FLAGS)
	rm -rf $(2)/sanitizer-reports && mkdir -p $(2)/sanitizer-reports
	env $(3) swift test --skip-build --sanitize=$(1) --scratch-path $(2) --no-parallel --disable-xctest $(SWIFT_BUILD_FLAGS); \
	status=$$?; \
	if [ -n "$$(ls -A $(2)/sanitizer-reports)" ]; then \
		cat $(2)/sanitizer-reports/*; echo "sanitize: $(1) sanitizer reports above (kept in $(2)/sanitizer-reports)"; exit 1; \
	fi; \
	exit $$status
endef

sanitize: deps lint
	$(call sanitized-swift-test,address,.build-asan,$(ASAN_ENV))
	$(call sanitized-swift-test,thread,.build-tsan,$(TSAN_ENV))

# The real `openai` Python SDK against the built proxy and mock (Tests/ClientTests).
VENV := .venv
client-test: deps
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV) || { $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	@$(VENV)/bin/python -c 'import openai, anthropic, httpx, pytest, pytest_timeout, prometheus_client, selenium' 2>/dev/null || $(VENV)/bin/pip install -q openai anthropic httpx pytest pytest-timeout prometheus-client selenium
	swift build $(SWIFT_BUILD_FLAGS)
	$(VENV)/bin/python -m pytest -q --timeout 120 Tests/ClientTests

# The worker may use EdgeRuntime's public API only (STYLE §1).
lint:
	@if [ -d Sources/AIProxy ] && grep -rnE '^(@_implementationOnly |internal |public )?import C[A-Z]' Sources/AIProxy; then \
		echo "lint: Sources/AIProxy must not import C modules"; exit 1; fi
	@# Foundation (not FoundationEssentials) links ICU into the binary: 80 MB, +7.5 MB idle RSS.
	@if grep -rnE '^(@_implementationOnly |internal |public )?import Foundation$$' Sources/AIProxy Sources/EdgeRuntime Sources/aiproxy; then \
		echo "lint: the proxy's sources import FoundationEssentials, not Foundation"; exit 1; fi

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
	Benchmarks/hardening.sh
	Benchmarks/limits.sh
	ROUNDS=15 DURATION=2 Benchmarks/observability.sh
	Benchmarks/responses.sh
	Benchmarks/embedded.sh
	Benchmarks/miss-path.sh
	Benchmarks/tls-upstream.sh
	OBSERVABILITY=1 Benchmarks/instructions.sh

# SOAK_SECONDS (1800) of mixed load on one instance on Redis, RSS and fds sampled (BENCHMARKS.md);
# fails when either grows more than 5% after warm-up. The plot needs matplotlib in the .venv.
SOAK_SECONDS ?= 1800
soak: release
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV) || { $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	@$(VENV)/bin/python -c 'import matplotlib' 2>/dev/null || $(VENV)/bin/pip install -q matplotlib
	SOAK_SECONDS=$(SOAK_SECONDS) PYTHON=$(VENV)/bin/python Benchmarks/soak.sh

# Redis, FLEET_SIZE instances and haproxy in front (see README "Running a fleet").
FLEET_SIZE ?= 3
fleet: release
	deploy/fleet.sh start $(FLEET_SIZE)

fleet-stop:
	deploy/fleet.sh stop

clean:
	rm -rf .build
