"""memory64 end to end against wasmtime: a 5 GiB 64-bit memory touched sparsely above the
4 GiB line in a 64 MiB guest (demand paging maps only the touched pages), memory.size and
memory.grow in i64 pages up to the declared maximum, and the explicit bounds checks of 64-bit
addresses (a load at the end, an offset that wraps past 2^64, bulk ranges that overflow)."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild

SPARSE = Path(__file__).resolve().parent / "wasm" / "mem64sparse.wat"
FIVE_GIB = 5 << 30

pytestmark = pytest.mark.qemu


def wasmtime_call(export: str, *args: int) -> str:
    """The export's result on a fresh wasmtime instance (memory64 on), or 'trap: <message>'."""
    config = wasmtime.Config()
    config.wasm_memory64 = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(SPARSE)), [])
    func = instance.exports(store)[export]
    assert isinstance(func, wasmtime.Func)
    try:
        result = func(store, *args)
    except wasmtime.Trap as e:
        return "trap: " + str(e).splitlines()[-1].split("wasm trap: ")[-1].strip()
    return "" if result is None else str(result)


def osbuild_call(export: str, *args: int) -> str:
    """The same on a fresh instance in a 64 MiB guest: far less RAM than the memory's 5 GiB."""
    r = osbuild("run", "--guest-ram", "64M", "--invoke", export, str(SPARSE),
                *(str(a if a < 1 << 63 else a - (1 << 64)) for a in args))
    if r.returncode == 134:
        return "trap: " + r.stderr.split("wasm trap: ")[1].splitlines()[0].strip()
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.mark.parametrize("call", [
    ("main",),  # stores and loads at 0, across 4 GiB, above it and in the last 8 bytes
    ("size",), ("grow", 1), ("grow", 49153),  # one page past the declared maximum: -1
    ("load", FIVE_GIB - 8), ("load", FIVE_GIB - 7),
    ("load_offset", 16), ("load_offset", 0),  # offset 2^64 - 16: in bounds only if it wraps
    ("copy", 1 << 32, (1 << 32) - 4, 8), ("copy", 0, (1 << 64) - 4, 8),
    ("fill", FIVE_GIB - 1, 7, 1), ("fill", 1, 7, (1 << 64) - 1),
], ids=lambda c: "-".join(map(str, c)))
def test_memory64_matches_wasmtime(call: tuple) -> None:
    assert osbuild_call(*call) == wasmtime_call(*call)
