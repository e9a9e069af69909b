"""Multi-memory end to end against wasmtime: a 32-bit and a 64-bit memory in one instance,
each with its own data segment and reservation, copied between in both directions (ranges
checked against each memory's own size), grown and filled independently."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild

TWO = Path(__file__).resolve().parent / "wasm" / "twomem.wat"

pytestmark = pytest.mark.qemu


def wasmtime_call(export: str, *args: int) -> str:
    """The export's result on a fresh wasmtime instance, or 'trap: <message>'."""
    config = wasmtime.Config()
    config.wasm_memory64 = True
    config.wasm_multi_memory = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(TWO)), [])
    func = instance.exports(store)[export]
    assert isinstance(func, wasmtime.Func)
    try:
        return str(func(store, *args))
    except wasmtime.Trap as e:
        return "trap: " + str(e).splitlines()[-1].split("wasm trap: ")[-1].strip()


def osbuild_call(export: str, *args: int) -> str:
    r = osbuild("run", "--invoke", export, str(TWO), *map(str, args))
    if r.returncode == 134:
        return "trap: " + r.stderr.split("wasm trap: ")[1].splitlines()[0].strip()
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.mark.parametrize("call", [
    ("b_to_a", 100, 65530, 10),  # the 64-bit memory's data into the 32-bit one
    ("b_to_a", 65530, 65530, 6), ("b_to_a", 65530, 65530, 7),  # $a's end, not $b's
    ("b_to_a", 0, 131070, 3),  # past $b's end
    ("a_to_b", 131064, 16, 8), ("a_to_b", 131065, 16, 8),  # $a's data to $b's last 8 bytes
    ("grow_b", 2), ("grow_b", 3),  # $b to its maximum and past it; $a unchanged
    ("fill_b", 131071, 9, 1), ("fill_b", 131071, 9, 2),
], ids=lambda c: "-".join(map(str, c)))
def test_two_memories_match_wasmtime(call: tuple) -> None:
    assert osbuild_call(*call) == wasmtime_call(*call)
