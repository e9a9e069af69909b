# Entry points: `make demo` sets everything up and boots the bundled example;
# `make test` runs the tests. Both install what is missing first.
PY := .venv/bin/python
OSBUILD := .venv/bin/osbuild

.PHONY: setup demo test lint bench clean

setup:
	bash scripts/setup.sh

demo: setup
	$(OSBUILD) image examples/hello.wat -o images/hello.elf
	$(OSBUILD) run images/hello.elf
	$(OSBUILD) run --invoke fib examples/fib.wat 30

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: setup
	$(PY) -m ruff check .

bench: setup
	$(PY) bench/boot_latency.py

clean:
	rm -rf images/*.elf build
