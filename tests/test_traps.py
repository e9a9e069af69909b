"""Every trap kind end to end: the kernel catches it, `osbuild run` reports it like wasmtime
(message, function, wasm offset) and exits with 134; --timeout interrupts a spinning module."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, osbuild
from difftest import fuel_engine, smallest_budget

TRAPS = EXAMPLES / "traps.wat"

pytestmark = pytest.mark.qemu


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return osbuild("run", *args, timeout=timeout)


@pytest.mark.parametrize(
    ("export", "args", "message"),
    [
        ("unreachable", [], "unreachable"),
        ("div_zero", ["0"], "integer divide by zero"),
        ("overflow", [], "integer overflow"),
        ("bad_conversion", [], "invalid conversion to integer"),
        ("oob_memory", ["65530"], "out of bounds memory access"),
        ("oob_table", ["4"], "out of bounds table access"),
        ("undefined_element", [], "undefined element"),
        ("uninitialized_element", [], "uninitialized element"),
        ("type_mismatch", [], "indirect call type mismatch"),
        ("recurse", ["0"], "call stack exhausted"),
        ("big_frame", ["0"], "call stack exhausted"),
    ],
)
def test_trap_kind(export: str, args: list[str], message: str) -> None:
    r = run("--invoke", export, str(TRAPS), *args)
    assert r.returncode == 134, r.stderr
    assert f"wasm trap: {message}" in r.stderr
    frame0 = re.search(r"^\s+0:\s+(0x[0-9a-f]+) - traps!(\S+)$", r.stderr, re.M)
    assert frame0, r.stderr
    assert frame0.group(2) == export
    assert int(frame0.group(1), 16) > 0  # a wasm code offset
    assert "Traceback" not in r.stderr


def test_memory_fault_reports_the_wasm_address() -> None:
    r = run("--invoke", "oob_memory", str(TRAPS), "65530")
    assert "(wasm address 0x1000a)" in r.stderr  # 65530 + offset 16


def test_backtrace_has_every_frame() -> None:
    r = run("--invoke", "recurse", str(TRAPS), "0")
    frames = re.findall(r"^\s+\d+:\s+0x[0-9a-f]+ - traps!recurse$", r.stderr, re.M)
    assert len(frames) > 10


def leaf_module(locals_: int) -> str:
    """`descend` recurses, calling at every level `leaf`, which calls nothing (so it has no
    stack check of its own, jit/lower.py `leaf`) and keeps `locals_` loaded values live at
    once: a frame of about 8 bytes each."""
    loads = "".join(f" (local.set {i + 1} (i64.load offset={8 * i} (local.get 0)))"
                    for i in range(locals_))
    total = "(local.get 1)"
    for i in range(locals_, 1, -1):
        total = f"(i64.add (local.get {i}) {total})"
    return (f"(module (memory 2)\n"
            f" (func $leaf (export \"leaf\") (param i32) (result i64)"
            f" (local{' i64' * locals_}){loads} {total})\n"
            f" (func $descend (export \"descend\") (param i32) (result i64)"
            f" (i64.add (call $leaf (i32.const 0)) (call $descend (local.get 0)))))\n")


def test_a_leaf_frame_past_the_stack_bottom_is_stack_exhaustion(tmp_path: Path) -> None:
    """A leaf whose frame (about 72 KiB) is larger than the stack check's margin (64 KiB)
    overflows the stack before its callers' checks fire: the fault below the stack is still
    the trap "call stack exhausted", reported in the leaf, with its callers' frames."""
    wat = tmp_path / "leaf.wat"
    wat.write_text(leaf_module(9_000))
    r = run("--invoke", "descend", str(wat), "0", timeout=300)
    assert r.returncode == 134, r.stderr
    assert "wasm trap: call stack exhausted" in r.stderr
    frames = re.findall(r"^\s+(\d+):\s+0x[0-9a-f]+ - leaf!(\S+)$", r.stderr, re.M)
    assert frames[0] == ("0", "leaf"), r.stderr
    assert [f for _, f in frames[1:4]] == ["descend"] * 3, r.stderr


def test_timeout_interrupts_a_spinning_module() -> None:
    run("--invoke", "unreachable", str(TRAPS))  # make sure the image is cached
    start = time.monotonic()
    r = run("--timeout", "1", "--invoke", "spin", str(TRAPS))
    elapsed = time.monotonic() - start
    assert r.returncode == 134
    assert "wasm trap: interrupt" in r.stderr
    assert "traps!spin" in r.stderr
    # the guest's own interrupt, not the host's backstop kill at the limit + 10 s (the margin
    # is generous: boot and a loaded CI machine add wall time that says nothing here)
    assert elapsed < 1 + 5.0, f"took {elapsed:.2f} s for a 1 s limit"


def wasmtime_min_fuel(path: Path, export: str, args: list[int]) -> int:
    """The smallest budget with which wasmtime completes the call."""
    import wasmtime

    engine = fuel_engine()
    module = wasmtime.Module.from_file(engine, str(path))

    def completes(fuel: int) -> bool:
        store = wasmtime.Store(engine)
        store.set_fuel(fuel)
        inst = wasmtime.Instance(store, module, [])
        try:
            inst.exports(store)[export](store, *args)
        except wasmtime.Trap:
            return False
        return True

    return smallest_budget(completes)


@pytest.mark.parametrize(("example", "export", "arg"),
                         [("fib.wat", "fib", 12), ("memory.wat", "sum", 50)])
def test_fuel_matches_wasmtime_exactly(example: str, export: str, arg: int) -> None:
    """The budget is deterministic and counts like wasmtime: the smallest budget with which
    wasmtime completes the call completes here too, and one less traps here as there."""
    path = EXAMPLES / example
    needed = wasmtime_min_fuel(path, export, [arg])
    ok = run("--fuel", str(needed), "--invoke", export, str(path), str(arg))
    assert ok.returncode == 0, ok.stderr
    short = run("--fuel", str(needed - 1), "--invoke", export, str(path), str(arg))
    assert short.returncode == 134
    assert "wasm trap: all fuel consumed by WebAssembly" in short.stderr
