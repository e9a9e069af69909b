# Entry points: `make demo` sets everything up and boots the bundled example;
# `make test` runs the tests. Both install what is missing first.
PY := .venv/bin/python
OSBUILD := .venv/bin/osbuild

WASI_EXAMPLES := $(patsubst %.c,%.wasm,$(wildcard examples/wasi/*.c))
WASI_CONFORMANCE := $(patsubst %.c,%.wasm,$(wildcard tests/wasi_conformance/*.c))

.PHONY: setup demo test lint bench clean wasi-examples wasi-conformance fuzz

setup:
	bash scripts/setup.sh

demo: setup wasi-examples
	$(OSBUILD) image examples/hello.wat -o images/hello.elf
	$(OSBUILD) run images/hello.elf
	$(OSBUILD) run --invoke fib examples/fib.wat 30
	$(OSBUILD) run examples/os/os.toml

# C programs for WASI, built with Debian's clang and wasi-libc.
examples/wasi/%.wasm: examples/wasi/%.c
	clang --target=wasm32-wasi -O2 $< -o $@

wasi-examples: $(WASI_EXAMPLES)

# The WASI conformance programs (tests/test_wasi_conformance.py runs them against wasmtime).
tests/wasi_conformance/%.wasm: tests/wasi_conformance/%.c tests/wasi_conformance/conf.h
	clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror $< -o $@

wasi-conformance: $(WASI_CONFORMANCE)

test: setup wasi-examples wasi-conformance
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# Open-ended campaigns (Ctrl-C stops both): the differential one (divergences land in
# tests/corpus/) alongside the robustness fuzzer of malformed and mutated modules (findings
# land in tests/fuzz-findings/).
fuzz: setup wasi-examples
	$(PY) tests/fuzz_inputs.py & $(PY) tests/fuzz.py; wait

lint: setup
	$(PY) -m ruff check .

# The native-vs-osbuild suite (table, build/bench/ratios.png), then boot latency.
bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/native_ratio.py
	$(PY) bench/boot_latency.py
	$(PY) bench/stdio_throughput.py
	$(PY) bench/http_load.py

clean:
	rm -rf images/*.elf build examples/wasi/*.wasm tests/wasi_conformance/*.wasm
