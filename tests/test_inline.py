"""Inlining of small frameless leaves (jit/inline.py) keeps exact backtraces: a trap or an
interrupt inside inlined code reports the inlined function as a frame of its own, at its own
instruction, and its caller at the call, as wasmtime reports the same trap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild

from osbuild.host.debug import Session
from osbuild.host.image import Image
from osbuild.host.pipeline import cached_image
from osbuild.host.protocol import Script
from osbuild.jit.decode import decode

pytestmark = pytest.mark.qemu

# $load and $spin are small leaves, inlined into $mid and $wait; $mid's own code around the
# call (the add) and $go's call keep their frames.
WAT = """
(module $inl
  (memory 1)
  (func $load (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func $mid (param i32) (result i32)
    (i32.add (i32.const 1) (call $load (i32.add (local.get 0) (i32.const 8)))))
  (func $go (export "go") (param i32) (result i32)
    (i32.add (call $mid (local.get 0)) (call $mid (i32.const 0))))
  (func $spin (param i32) (result i32)
    (loop $l (br_if $l (i32.eqz (i32.load (local.get 0)))))  ;; memory stays zero
    (local.get 0))
  (func $wait (export "wait") (result i32) (i32.add (i32.const 2) (call $spin (i32.const 5)))))
"""


def wasmtime_frames(wasm: Path, export: str, *args: int) -> list[tuple[str, int]]:
    store = wasmtime.Store()
    inst = wasmtime.Instance(store, wasmtime.Module.from_file(store.engine, str(wasm)), [])
    with pytest.raises(wasmtime.Trap) as info:
        inst.exports(store)[export](store, *args)
    return [(f.func_name or "", f.module_offset) for f in info.value.frames]


def reported(stderr: str) -> list[tuple[str, int]]:
    return [(name, int(off, 16)) for off, name in
            re.findall(r"^\s+\d+:\s+(0x[0-9a-f]+) - inl!(\S+)$", stderr, re.M)]


def test_a_trap_in_inlined_code_reports_the_inlined_frame(tmp_path: Path) -> None:
    wat = tmp_path / "inl.wat"
    wat.write_text(WAT)
    wasm = tmp_path / "inl.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(WAT))
    image = tmp_path / "inl.elf"
    osbuild("image", "--opt", wat, "-o", image)
    # $load was inlined: its instructions lie inside $mid's code
    assert any(Image(image).inlined_at(pc) for pc in range(*code_range(image, 1)))
    r = osbuild("run", "--opt", "--invoke", "go", wat, "65530")
    assert r.returncode == 134, r.stderr
    assert "wasm trap: out of bounds memory access" in r.stderr
    want = wasmtime_frames(wasm, "go", 65530)
    assert [n for n, _ in want] == ["load", "mid", "go"]
    assert reported(r.stderr) == want, r.stderr


def code_range(image: Path, index: int) -> tuple[int, int]:
    """[start, end) of wasm function ``index``'s code."""
    for start, name, size in Image(image).functions:
        if name.endswith(f"_f{index}"):
            return start, start + size
    raise AssertionError(f"no function {index}")


def test_an_interrupt_in_inlined_code_reports_the_inlined_frame(tmp_path: Path) -> None:
    wat = tmp_path / "inl.wat"
    wat.write_text(WAT)
    image = tmp_path / "inl.elf"
    osbuild("image", "--opt", wat, "-o", image)
    assert any(Image(image).inlined_at(pc) for pc in range(*code_range(image, 4)))  # $spin
    r = osbuild("run", "--opt", "--timeout", "0.3", "--invoke", "wait", wat)
    assert r.returncode == 134, r.stderr
    assert r.stderr.rstrip().endswith("wasm trap: interrupt"), r.stderr
    frames = reported(r.stderr)
    assert [n for n, _ in frames] == ["spin", "wait"], r.stderr
    module = decode(wasmtime.wat2wasm(WAT))
    spin, wait = module.bodies[3].code, module.bodies[4].code
    assert spin[0].offset <= frames[0][1] <= spin[-1].offset, r.stderr  # inside $spin
    assert frames[1][1] == next(i.offset for i in wait if i.op == 0x10), r.stderr  # the call


def test_a_breakpoint_stops_in_inlined_code(tmp_path: Path) -> None:
    """`break load` in an image where $load exists only inlined into $mid's two calls: the
    debugger also breaks at each inlined copy's entry, and bt shows the inlined frame."""
    wat = tmp_path / "inl.wat"
    wat.write_text(WAT)
    image = cached_image(wat, tier="opt")
    assert Image(image).inlined_entries(next(
        n for _, n, _ in Image(image).functions if n.endswith("_f0")))
    with Session(image, Script().instantiate(0).invoke(0, "go", [65530])) as s:
        n = s.break_("load")
        assert s.cont() == f"breakpoint {n} at inl!load"
        assert [f.text.split(" - ")[1] for f in s.bt()] == ["inl!load", "inl!mid", "inl!go"]
        assert s.cont() == "program finished with exit status 134"
