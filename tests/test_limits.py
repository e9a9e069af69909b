"""The limits of docs/ARCHITECTURE.md ("Robustness and limits"): at a limit a module builds, one
past it is refused in one line that names the limit, with exit status 1 and no image, before
any long compilation. The validator's limits (locals, names, data segments, function body size)
and osbuild's own (function body size, nesting depth), each on its boundary."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import osbuild
from wasmenc import leb

from osbuild.jit.limits import MAX_FUNCTION_BODY, MAX_NESTING


def section(sid: int, body: bytes) -> bytes:
    return bytes([sid]) + leb(len(body)) + body


def module(bodies: list[bytes], extra: bytes = b"") -> bytes:
    """A module of functions of type () -> () with these bodies (locals included); the first
    one is exported as `_start`. ``extra`` goes between the export and the code sections."""
    n = len(bodies)
    return (b"\0asm\x01\0\0\0" + section(1, b"\x01\x60\x00\x00")
            + section(3, leb(n) + b"\x00" * n)
            + section(7, b"\x01\x06_start\x00\x00") + extra
            + section(10, leb(n) + b"".join(leb(len(b)) + b for b in bodies)))


def nested(depth: int) -> bytes:
    """A body of ``depth`` nested blocks, the innermost a loop."""
    return b"\x00" + b"\x02\x40" * (depth - 1) + b"\x03\x40" + b"\x0b" * depth + b"\x0b"


def nops(size: int) -> bytes:
    """A body of exactly ``size`` bytes: no locals, nops, end."""
    return b"\x00" + b"\x01" * (size - 2) + b"\x0b"


def build(tmp_path: Path, wasm: bytes, **env: str):  # type: ignore[no-untyped-def]
    """`osbuild image` of ``wasm`` into a fresh output path: (process, output, seconds)."""
    n = len(list(tmp_path.glob("*.wasm")))
    src, out = tmp_path / f"m{n}.wasm", tmp_path / f"m{n}.elf"
    src.write_bytes(wasm)
    t0 = time.monotonic()
    proc = osbuild("image", src, "-o", out, timeout=600, env={**os.environ, **env})
    return proc, out, time.monotonic() - t0


def refused(tmp_path: Path, wasm: bytes, *words: str, **env: str) -> str:
    proc, out, _ = build(tmp_path, wasm, **env)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert lines[0].startswith("osbuild: error: ") and "internal error" not in lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    assert not out.exists()
    return lines[0]


def test_nesting_depth_at_and_past_the_limit(tmp_path: Path) -> None:
    proc, out, _ = build(tmp_path, module([nested(MAX_NESTING)]))
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    line = refused(tmp_path, module([nested(MAX_NESTING + 1)]), "limit on nesting depth",
                   f"{MAX_NESTING + 1:,} deep", f"the limit is {MAX_NESTING:,}")
    assert "docs/ARCHITECTURE.md" in line


def test_nesting_past_the_limit_in_a_worker(tmp_path: Path) -> None:
    """Enough code that the pool compiles it: the worker's error is the same one line."""
    bodies = [nops(2000) for _ in range(60)] + [nested(MAX_NESTING + 5)]
    refused(tmp_path, module(bodies), "limit on nesting depth", OSBUILD_JOBS="2")


def test_function_body_size_at_and_past_the_limit(tmp_path: Path) -> None:
    """The body past the limit is refused before anything is compiled (in well under the
    time compiling it would take); the one at the limit is only checked for the count."""
    past = module([b"\x00\x0b", nops(MAX_FUNCTION_BODY + 1)])
    t0 = time.monotonic()
    refused(tmp_path, past, "limit on function body size",
            f"function 1 is {MAX_FUNCTION_BODY + 1:,} bytes")
    assert time.monotonic() - t0 < 60
    from osbuild.jit.decode import decode

    assert len(decode(module([nops(MAX_FUNCTION_BODY)]), bodies=False).body_spans) == 1


def test_validator_limits_name_themselves(tmp_path: Path) -> None:
    """Limits the validator (wasmparser, shared with wasmtime) enforces: its message is the
    line, without log noise."""
    locals_ = leb(1) + leb(50_001) + b"\x7f" + b"\x0b"
    refused(tmp_path, module([locals_]), "too many locals")
    name = b"a" * 100_001
    export = section(7, b"\x01" + leb(len(name)) + name + b"\x00\x00")
    wasm = (b"\0asm\x01\0\0\0" + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00")
            + export + section(10, b"\x01\x02\x00\x0b"))
    refused(tmp_path, wasm, "string size out of bounds")
    datas = leb(100_001) + b"\x01\x00" * 100_001  # passive, empty
    wasm = module([b"\x00\x0b"]) + section(11, datas)
    refused(tmp_path, wasm, "data segments count exceeds limit of 100000")
    refused(tmp_path, module([nops(7_654_322)]),
            "function body size count exceeds limit of 7654321")


@pytest.mark.qemu
def test_a_module_at_the_limits_runs(tmp_path: Path) -> None:
    """Deep nesting at the limit is compiled and runs (the loop is entered once)."""
    src = tmp_path / "deep.wasm"
    src.write_bytes(module([nested(MAX_NESTING)]))
    proc = osbuild("run", src, timeout=600)
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.qemu
def test_initialisation_split_into_parts_runs_like_wasmtime(tmp_path: Path) -> None:
    """A module with more initialisation steps than one `P_init` part holds (func objects,
    globals, element and data segments: jit/module.py INIT_CHUNK) is initialised in module
    order as wasmtime does, an element segment of more items than one part of its helper holds
    too; a data segment out of bounds in the last part traps at
    instantiation."""
    import wasmtime

    from osbuild.host.api import Store, WasmTrap
    from osbuild.jit.module import INIT_CHUNK
    from osbuild.jit.segments import ITEMS_CHUNK
    from osbuild.jit.wasmtools import wat_to_wasm

    n = INIT_CHUNK + 50
    funcs = "".join(f"(func $f{k} (result i32) (i32.const {k * 7}))" for k in range(n))
    globs = "".join(f"(global $g{k} (mut i32) (i32.const {k * 3}))" for k in range(2 * n))
    elems = "".join(f"(elem (i32.const {k}) func $f{k})" for k in range(n))
    big = ITEMS_CHUNK + 100  # one segment whose items are stored by parts
    elems += f"(elem (i32.const {n}) func {' '.join(f'$f{k % n}' for k in range(big))})"
    datas = "".join(f'(data (i32.const {k}) "\\{k % 256:02x}")' for k in range(n))
    wat = (f"(module (type $t (func (result i32))) (memory (export \"memory\") 1)"
           f"(table {n + big} funcref) {funcs} {globs} {elems} {datas}"
           "(func (export \"check\") (param i32) (result i32)"
           "  (i32.add (i32.add (global.get $g%d) (i32.load8_u (local.get 0)))"
           "           (call_indirect (type $t) (local.get 0)))))" % (2 * n - 1))
    src = tmp_path / "big.wasm"
    src.write_bytes(wat_to_wasm(wat.encode()))
    image = tmp_path / "big.elf"
    assert osbuild("image", src, "-o", image, timeout=600).returncode == 0
    store_w = wasmtime.Store()
    check = wasmtime.Instance(store_w, wasmtime.Module.from_file(store_w.engine, str(src)),
                              []).exports(store_w)["check"]
    args = [0, 1, INIT_CHUNK - 1, INIT_CHUNK, n - 1, n, n + ITEMS_CHUNK, n + big - 1]
    want = [check(store_w, a) for a in args]  # type: ignore[operator]
    with Store(image) as store:
        got = [store.instantiate(0).exports["check"](a) for a in args]
    assert got == want
    bad = wat.replace(f'(data (i32.const {n - 1})', "(data (i32.const 65536)")
    src.write_bytes(wat_to_wasm(bad.encode()))
    assert osbuild("image", src, "-o", image, timeout=600).returncode == 0
    with Store(image) as store, pytest.raises(WasmTrap, match="out of bounds memory access"):
        store.instantiate(0)


@pytest.mark.qemu
def test_an_element_segment_larger_than_the_stack(tmp_path: Path) -> None:
    """An active element segment of 140,000 items (1.1 MB of references, more than the 1 MiB
    user stack that a buffer of them once took) instantiates, its last item set, as under
    wasmtime."""
    from osbuild.jit.wasmtools import wat_to_wasm

    n = 140_000
    wat = (f'(module (table {n} funcref) (func $f) (func (export "_start")'
           f' (if (ref.is_null (table.get 0 (i32.const {n - 1}))) (then unreachable)))'
           f' (elem (i32.const 0) func {" ".join(["$f"] * n)}))')
    src = tmp_path / "elems.wasm"
    src.write_bytes(wat_to_wasm(wat.encode()))
    proc = osbuild("run", src, timeout=1200)
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.qemu
def test_table_init_of_a_million_items(tmp_path: Path) -> None:
    """table.init at run time from a passive segment of 1,000,000 items (8 MB of references,
    eight times the user stack that a buffer of the whole segment once took) into a bigger
    table, at offsets that cut its parts of ITEMS_CHUNK items anywhere: the table's digest
    after each call, and the traps past either end, match wasmtime."""
    import wasmtime

    from osbuild.host.api import Store, WasmTrap
    from osbuild.jit.wasmtools import wat_to_wasm

    n, size = 1_000_000, 1_100_000
    items = " ".join("(ref.null func)" if i % 5 == 4 else f"(ref.func $f{i % 3})"
                     for i in range(n))
    wat = (f'(module (type $t (func (result i32))) (table $tab {size} funcref)'
           ' (func $f0 (result i32) (i32.const 10)) (func $f1 (result i32) (i32.const 11))'
           ' (func $f2 (result i32) (i32.const 12))'
           f' (elem $e funcref {items})'
           ' (func (export "init") (param i32 i32 i32)'
           '  (table.init $tab $e (local.get 0) (local.get 1) (local.get 2)))'
           ' (func (export "digest") (result i32) (local $i i32) (local $h i32)'
           '  (loop $l'
           '   (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))'
           '    (if (result i32) (ref.is_null (table.get $tab (local.get $i)))'
           '     (then (i32.const 1)) (else (call_indirect (type $t) (local.get $i))))))'
           '   (local.set $i (i32.add (local.get $i) (i32.const 1)))'
           f'   (br_if $l (i32.lt_u (local.get $i) (i32.const {size}))))'
           '  (local.get $h)))')
    src = tmp_path / "init.wasm"
    src.write_bytes(wat_to_wasm(wat.encode()))
    image = tmp_path / "init.elf"
    assert osbuild("image", src, "-o", image, timeout=1200).returncode == 0
    calls = [(0, 0, n), (100_001, 1023, n - 1023), (7, 5000, 3), (size - 2, n - 2, 2),
             (0, n - 1, 2), (size - 1, 0, 2), (size, n, 0), (3, 2047, 1)]
    store_w = wasmtime.Store()
    inst_w = wasmtime.Instance(store_w, wasmtime.Module.from_file(store_w.engine, str(src)), [])
    init_w, digest_w = inst_w.exports(store_w)["init"], inst_w.exports(store_w)["digest"]

    def outcome(init: object, digest: object, *args: object) -> tuple[str, int]:
        try:
            init(*args)  # type: ignore[operator]
            trapped = ""
        except (wasmtime.Trap, WasmTrap) as e:
            trapped = "out of bounds table" if "out of bounds table" in str(e) else str(e)
        return trapped, digest()  # type: ignore[operator]

    want = [outcome(lambda *a: init_w(store_w, *a), lambda: digest_w(store_w), *c)
            for c in calls]
    with Store(image, timeout=300) as store:
        inst = store.instantiate(0)
        got = [outcome(inst.exports["init"], inst.exports["digest"], *c) for c in calls]
    assert got == want
    assert [t for t, _ in want].count("out of bounds table") == 2
