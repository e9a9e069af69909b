"""Per-function compilation units (jit/units.py, pool.py, compiler.py): an edited function is
the only unit compiled again, the result still agrees with wasmtime (values and the trap's wasm
offset in a function after the edited one), the worker pool builds what one process builds, and
the module's symbols keep the prefix of the whole module."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from osbuild.host.api import Store, WasmTrap
from osbuild.host.image import Image
from osbuild.host.pipeline import Imports, link
from osbuild.host.traps import Symbolizer
from osbuild.jit.compiler import CompileStats, compile_module
from osbuild.jit.units import PLACEHOLDER, rename_prefix
from osbuild.jit.wasmtools import wat_to_wasm

# Functions 0..3; $scale's constant is the edit (5 -> 500 changes its size, so every later
# function moves in the module: their code must not change, and their trap offsets must).
# $scale is a small frameless leaf, which the opt tier inlines into its callers $twice and
# $boom (jit/inline.py): their units depend on its body, $sum's does not.
WAT = """(module
  (memory 1)
  (func $scale (export "scale") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const {k})))
  (func $twice (export "twice") (param i32) (result i32)
    (call $scale (i32.add (local.get 0) (local.get 0))))
  (func $sum (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (call $twice (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func $boom (export "boom") (param i32) (result i32)
    (i32.div_u (call $scale (local.get 0)) (i32.const 0))))
"""


def module(k: int) -> bytes:
    return wat_to_wasm(WAT.format(k=k).encode())


def wasmtime_trap_offset(wasm: bytes) -> int:
    store = wasmtime.Store()
    inst = wasmtime.Instance(store, wasmtime.Module(store.engine, wasm), [])
    with pytest.raises(wasmtime.Trap) as info:
        inst.exports(store)["boom"](store, 3)
    return info.value.frames[0].module_offset


@pytest.mark.qemu
def test_an_edit_recompiles_the_function_and_its_inliners_only(fresh_cache: Path,
                                                                tmp_path: Path) -> None:
    first, again, edited = CompileStats(), CompileStats(), CompileStats()
    compile_module(module(5), "m", stats=first)
    assert (first.units, first.compiled, first.cached) == (4, 4, False)
    compile_module(module(5), "m", stats=again)
    assert again.cached
    wasm = module(500)
    compiled = compile_module(wasm, "m", stats=edited)
    assert (edited.units, edited.compiled, edited.cached) == (4, 3, False)  # not $sum

    image = link([compiled], tmp_path / "m.elf", imports=Imports.HOST)
    store_w = wasmtime.Store()
    inst_w = wasmtime.Instance(store_w, wasmtime.Module(store_w.engine, wasm), [])
    with Store(image) as store:
        exports = store.instantiate(0).exports
        for name, arg in (("scale", 7), ("twice", 7), ("sum", 10)):
            assert exports[name](arg) == inst_w.exports(store_w)[name](store_w, arg)
        with pytest.raises(WasmTrap) as info:
            exports["boom"](3)
    text, is_wasm = Symbolizer(Image(image)).describe(info.value.report.pc)
    assert is_wasm and text.split()[0] == f"{wasmtime_trap_offset(wasm):#x}", text


def test_workers_build_what_one_process_builds(fresh_cache: Path) -> None:
    """The same unit objects from the pool (2 workers, forced by a zero threshold) and from
    this process, each function's object named with the module's own prefix after linking."""
    import osbuild.jit.compiler as compiler

    wasm = module(5)
    serial = compile_module(wasm, "m", jobs=1)
    units = sorted(p.read_bytes() for p in (fresh_cache / "units").iterdir())
    for p in (fresh_cache / "units").iterdir():
        p.unlink()
    for p in (fresh_cache / "objects").iterdir():
        for f in p.iterdir():
            f.unlink()
        p.rmdir()
    stats = CompileStats()
    threshold = compiler.SERIAL_BYTES
    compiler.SERIAL_BYTES = 0
    try:
        parallel = compile_module(wasm, "m", jobs=2, stats=stats)
    finally:
        compiler.SERIAL_BYTES = threshold
    assert stats.jobs == 2 and stats.compiled == 4
    assert sorted(p.read_bytes() for p in (fresh_cache / "units").iterdir()) == units
    assert parallel.object_path.read_bytes() == serial.object_path.read_bytes()
    obj = parallel.object_path.read_bytes()
    assert PLACEHOLDER.encode() not in obj
    assert f"{parallel.prefix}_f3".encode() in obj


def test_rename_prefix_touches_only_string_tables(fresh_cache: Path) -> None:
    compiled = compile_module(module(5), "m")
    obj = compiled.object_path.read_bytes()
    back = rename_prefix(obj, compiled.prefix, PLACEHOLDER)
    assert len(back) == len(obj) and compiled.prefix.encode() not in back
    assert rename_prefix(back, PLACEHOLDER, compiled.prefix) == obj


@pytest.mark.qemu
def test_module_level_parts_and_grouped_link_run_like_wasmtime(
        fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module whose module-level unit is compiled as several objects (invoke shims and
    `P_init` parts spread over them: jit/module.py PART_STEPS) and whose units are linked in
    two levels (jit/units.py LINK_GROUP) is initialised in module order and runs as in
    wasmtime, in both tiers."""
    import osbuild.jit.module as level
    import osbuild.jit.units as units

    monkeypatch.setattr(level, "PART_STEPS", level.INIT_CHUNK)
    monkeypatch.setattr(units, "LINK_GROUP", 64)
    n = level.INIT_CHUNK + 50
    nexports = 2 * level.INIT_CHUNK // level.PART_CALL_WEIGHT + 5  # shims in three parts
    export = [f'(export "f{k}")' if k < nexports else "" for k in range(n)]
    funcs = "".join(f"(func $f{k} {export[k]} (result i32) (i32.const {k * 7}))"
                    for k in range(n))
    globs = "".join(f"(global $g{k} (mut i32) (i32.const {k * 3}))" for k in range(n))
    elems = "".join(f"(elem (i32.const {k}) func $f{k})" for k in range(n))
    datas = "".join(f'(data (i32.const {k}) "\\{k % 256:02x}")' for k in range(n))
    wat = (f"(module (type $t (func (result i32))) (memory 1) (table {n} funcref)"
           f" {funcs} {globs} {elems} {datas}"
           "(func (export \"check\") (param i32) (result i32)"
           "  (i32.add (i32.add (global.get $g%d) (i32.load8_u (local.get 0)))"
           "           (call_indirect (type $t) (local.get 0)))))" % (n - 1))
    wasm = wat_to_wasm(wat.encode())
    parts = level.module_level_parts(units.UnitCompiler(wasm, False, "fast")._env())
    assert len(parts) >= 5 and sum(bool(p.shims) for p in parts) == 3
    assert sum(len(p.chunks) for p in parts) == -(-(4 * n) // level.INIT_CHUNK)
    store_w = wasmtime.Store()
    inst_w = wasmtime.Instance(store_w, wasmtime.Module(store_w.engine, wasm), [])
    args = [0, 1, level.INIT_CHUNK - 1, level.INIT_CHUNK, n - 1]
    want = [inst_w.exports(store_w)["check"](store_w, a) for a in args]
    for tier in ("fast", "opt"):
        compiled = compile_module(wasm, "parts", tier=tier, jobs=1)
        image = link([compiled], tmp_path / f"parts-{tier}.elf", imports=Imports.HOST)
        with Store(image) as store:
            exports = store.instantiate(0).exports
            assert [exports["check"](a) for a in args] == want
            assert exports[f"f{nexports - 1}"]() == (nexports - 1) * 7
