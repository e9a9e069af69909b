"""Stdio throughput: MB/s into and out of a WASI program, under `osbuild run` and under the
wasmtime package, in one run.

Three programs of examples/wasi (built with clang --target=wasm32-wasi), each given SIZE bytes:

  in     `streams eof`     reads stdin to its end (8 KiB reads) and prints the count
  out    `streams write N` writes N bytes to stdout in 64 KiB writes
  cat    `cat`             copies stdin to stdout in 64 KiB reads and writes (both ways)

Ours: `osbuild run` on a cached image, fed through a pipe and read through a pipe by this
script, as a shell pipeline would. The time of the same run with no data (QEMU start, boot,
instantiation: printed as "start-up") is subtracted, so the figure is the streaming rate.
Wasmtime: the same module in-process (wasmtime.WasiConfig with stdin/stdout files, which is
what its Python API takes), timing `_start` with the data minus `_start` with none.
Throughput is wall time by nature; each figure is the median of REPEAT runs.

Run: .venv/bin/python bench/stdio_throughput.py [--size MB] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import wasmtime

ROOT = Path(__file__).resolve().parent.parent
WASI = ROOT / "examples" / "wasi"
OSBUILD = [sys.executable, "-m", "osbuild.host.cli"]
MB = 1_000_000


def programs(size: int) -> dict[str, tuple[str, list[str], bool]]:
    """name → (module, arguments, whether it reads SIZE bytes of stdin)."""
    return {"in": ("streams", ["eof"], True),
            "out": ("streams", ["write", str(size)], False),
            "cat": ("cat", [], True)}


def ours_once(wasm: Path, args: list[str], data: bytes) -> tuple[float, bytes]:
    """Seconds for `osbuild run` with ``data`` piped in; what it wrote to stdout (the first
    line, and as many bytes as it wrote in all)."""
    start = time.perf_counter()
    proc = subprocess.Popen([*OSBUILD, "run", str(wasm), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        view = memoryview(data)
        for i in range(0, len(view), 65536):
            proc.stdin.write(view[i:i + 65536])  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]

    feeder = threading.Thread(target=feed)
    feeder.start()
    head, received = b"", 0
    while chunk := proc.stdout.read1(1 << 20):
        head = head or chunk[:64]
        received += len(chunk)
    feeder.join()
    if proc.wait() != 0:
        raise SystemExit(f"osbuild run {wasm.name} {' '.join(args)} failed")
    return time.perf_counter() - start, summary(head, received)


def wasmtime_once(module: wasmtime.Module, engine: wasmtime.Engine, args: list[str],
                  data: bytes, tmp: Path) -> tuple[float, bytes]:
    """Seconds of `_start` under wasmtime with ``data`` as the stdin file; its stdout as
    ours_once summarizes it."""
    (tmp / "in").write_bytes(data)
    store = wasmtime.Store(engine)
    cfg = wasmtime.WasiConfig()
    cfg.argv = ["prog", *args]
    cfg.stdin_file = str(tmp / "in")
    cfg.stdout_file = str(tmp / "out")
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    start_fn = linker.instantiate(store, module).exports(store)["_start"]
    start = time.perf_counter()
    start_fn(store)  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    with open(tmp / "out", "rb") as f:
        head = f.read(64)
    return elapsed, summary(head, os.path.getsize(tmp / "out"))


def summary(head: bytes, size: int) -> bytes:
    """What is compared between runs: the first line of the output and its size."""
    return head.split(b"\n")[0] + b" / %d bytes" % size


def median_time(runs: list[tuple[float, bytes]], expect: bytes) -> float:
    """The median time, once every run has printed what ``expect`` says (a figure for a
    run that lost data would be meaningless)."""
    for _, out in runs:
        if out != expect:
            raise SystemExit(f"unexpected output: {out!r}, expected {expect!r}")
    return statistics.median(t for t, _ in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=50, help="MB per direction (10^6 B)")
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    size = int(opts.size * MB)
    subprocess.run(["make", "-s", "wasi-examples"], cwd=ROOT, check=True)
    data = os.urandom(size)
    engine = wasmtime.Engine()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (prog, args, reads) in programs(size).items():
            wasm = WASI / f"{prog}.wasm"
            empty_args = ["write", "0"] if name == "out" else args
            payload = data if reads else b""
            module = wasmtime.Module.from_file(engine, str(wasm))
            # wasmtime's output is the reference for ours, with and without data
            _, expect_empty = wasmtime_once(module, engine, empty_args, b"", Path(tmp))
            _, expect = wasmtime_once(module, engine, args, payload, Path(tmp))
            ours_once(wasm, args, b"")  # build and cache the image
            base = median_time([ours_once(wasm, empty_args, b"")
                                for _ in range(opts.repeat)], expect_empty)
            ours = median_time([ours_once(wasm, args, payload)
                                for _ in range(opts.repeat)], expect)
            w_base = median_time([wasmtime_once(module, engine, empty_args, b"", Path(tmp))
                                  for _ in range(opts.repeat)], expect_empty)
            theirs = median_time([wasmtime_once(module, engine, args, payload, Path(tmp))
                                  for _ in range(opts.repeat)], expect)
            rows.append((name, base, size / MB / max(ours - base, 1e-9),
                         size / MB / max(theirs - w_base, 1e-9)))
    print(f"stdio throughput, {size / MB:g} MB each way, median of {opts.repeat} runs")
    print(f"{'direction':<10}{'osbuild MB/s':>14}{'wasmtime MB/s':>15}{'start-up s':>12}")
    for name, base, ours_rate, theirs_rate in rows:
        print(f"{name:<10}{ours_rate:>14.1f}{theirs_rate:>15.1f}{base:>12.2f}")
    print("start-up: `osbuild run` with no data (QEMU, boot, instantiation), subtracted above")


if __name__ == "__main__":
    main()
