"""GC references (WebAssembly 3.0) end to end, against wasmtime in both tiers: structs with
packed and reference fields, arrays (new, new_fixed, new_data, fill, copy, init_data, bounds),
i31, ref.eq, casts and br_on_cast over a subtype chain, function subtyping through
call_indirect, and the traps (null struct/array/i31, cast failure, array bounds); and the
collector: a program allocating five times the heap's limit runs in bounded memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from difftest import TIERS, Call, Case, check, export_signature

from osbuild.jit.wasmtools import wat_to_wasm

pytestmark = pytest.mark.qemu

WAT = """
(module
  (type $point (sub (struct (field $x (mut i32)) (field $y (mut i64)))))
  (type $point3 (sub $point (struct (field $x (mut i32)) (field $y (mut i64))
                                    (field $z (mut f64)))))
  (type $packed (struct (field (mut i8)) (field (mut i16)) (field (mut anyref))))
  (type $bytes (array (mut i8)))
  (type $longs (array (mut i64)))
  (type $refs (array (mut eqref)))
  (type $fsuper (sub (func (param i32) (result i32))))
  (type $fsub (sub $fsuper (func (param i32) (result i32))))
  (data $d "\\01\\02\\03\\04\\05\\06\\07\\08")
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $double $inc)
  (func $double (type $fsub) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $fsuper) (i32.add (local.get 0) (i32.const 1)))

  (func (export "struct_fields") (param i32) (result i64)
    (local $p (ref $point3))
    (local.set $p (struct.new $point3 (local.get 0) (i64.const 40) (f64.const 1.5)))
    (struct.set $point3 $x (local.get $p) (i32.add (struct.get $point3 $x (local.get $p))
                                                   (i32.const 2)))
    (i64.add (i64.extend_i32_s (struct.get $point $x (local.get $p)))
             (i64.add (struct.get $point3 $y (local.get $p))
                      (i64.trunc_f64_s (struct.get $point3 $z (local.get $p))))))

  (func (export "packed") (param i32) (result i32)
    (local $s (ref $packed))
    (local.set $s (struct.new $packed (local.get 0) (local.get 0) (ref.i31 (local.get 0))))
    (i32.add (i32.add (struct.get_s $packed 0 (local.get $s))
                      (struct.get_u $packed 1 (local.get $s)))
             (i31.get_s (ref.cast (ref i31) (struct.get $packed 2 (local.get $s))))))

  (func (export "arrays") (param i32) (result i64)
    (local $a (ref $longs)) (local $b (ref $bytes)) (local $i i32) (local $sum i64)
    (local.set $a (array.new $longs (i64.const 3) (local.get 0)))
    (array.fill $longs (local.get $a) (i32.const 1) (i64.const 10) (i32.const 2))
    (local.set $b (array.new_data $bytes $d (i32.const 2) (i32.const 5)))
    (array.copy $longs $longs (local.get $a) (i32.const 0) (local.get $a) (i32.const 1)
                (i32.sub (array.len (local.get $a)) (i32.const 1)))
    (loop $l
      (local.set $sum (i64.add (local.get $sum) (array.get $longs (local.get $a) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (array.len (local.get $a)))))
    (i64.add (local.get $sum)
             (i64.extend_i32_u (array.get_u $bytes (local.get $b) (i32.const 4)))))

  (func (export "fixed_and_eq") (param i32) (result i32)
    (local $r (ref $refs)) (local $p (ref $point))
    (local.set $p (struct.new_default $point))
    (local.set $r (array.new_fixed $refs 3 (local.get $p) (ref.i31 (local.get 0))
                                           (struct.new_default $point)))
    (i32.add (ref.eq (array.get $refs (local.get $r) (i32.const 0)) (local.get $p))
      (i32.add (ref.eq (array.get $refs (local.get $r) (i32.const 2)) (local.get $p))
               (ref.eq (array.get $refs (local.get $r) (i32.const 1))
                       (ref.i31 (local.get 0))))))

  (func (export "casts") (param i32) (result i32)
    (local $any anyref)
    (local.set $any (select (result anyref) (struct.new_default $point)
      (select (result anyref) (struct.new_default $point3) (ref.i31 (local.get 0))
              (i32.eq (local.get 0) (i32.const 1)))
      (i32.eqz (local.get 0))))
    (i32.add (i32.add (i32.mul (ref.test (ref $point) (local.get $any)) (i32.const 1))
                      (i32.mul (ref.test (ref $point3) (local.get $any)) (i32.const 10)))
      (i32.add (i32.mul (ref.test (ref i31) (local.get $any)) (i32.const 100))
        (block $yes (result (ref $point))
          (br_on_cast $yes anyref (ref $point) (local.get $any))
          (drop) (return (i32.const 1000)))
        (drop) (i32.const 0))))

  (func (export "cast_fails") (param i32) (result i32)
    (struct.get $point3 $x (ref.cast (ref $point3)
      (select (result anyref) (struct.new_default $point) (struct.new_default $point3)
              (local.get 0)))))

  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect $t (type $fsuper) (local.get 0) (local.get 1)))
  (func (export "indirect_sub") (param i32 i32) (result i32)
    (call_indirect $t (type $fsub) (local.get 0) (local.get 1)))

  (func (export "null_struct") (result i32)
    (struct.get $point $x (ref.null $point)))
  (func (export "null_array") (result i32)
    (array.len (ref.null $bytes)))
  (func (export "null_i31") (result i32)
    (i31.get_u (ref.null i31)))
  (func (export "array_oob") (param i32) (result i32)
    (array.get_s $bytes (array.new_default $bytes (i32.const 4)) (local.get 0)))
  (func (export "big") (param i32) (result i32)
    (array.len (array.new_default $longs (local.get 0))))
  (func (export "data_oob") (param i32) (result i32)
    (array.len (array.new_data $bytes $d (local.get 0) (i32.const 4))))
)
"""

CALLS = [("struct_fields", [5]), ("struct_fields", [-7 & 0xFFFFFFFF]), ("packed", [0x1FF]),
         ("packed", [-3 & 0xFFFFFFFF]), ("arrays", [7]), ("fixed_and_eq", [9]),
         ("casts", [0]), ("casts", [1]), ("casts", [2]), ("cast_fails", [0]),
         ("cast_fails", [1]), ("indirect", [5, 0]), ("indirect", [5, 1]),
         ("indirect_sub", [5, 0]), ("indirect_sub", [5, 1]), ("null_struct", []),
         ("null_array", []), ("null_i31", []), ("array_oob", [3]), ("array_oob", [4]),
         ("data_oob", [4]), ("data_oob", [5]),
         # fuel: an array's length is charged before it is allocated, as wasmtime does
         ("big", [150_000]), ("big", [100_000_000]), ("big", [1])]


@pytest.mark.parametrize("tier", TIERS)
def test_gc_matches_wasmtime(tier: str) -> None:
    wasm = wat_to_wasm(WAT.encode())
    case = Case(wasm, [Call(name, export_signature(wasm, name), args) for name, args in CALLS])
    assert check([case], tier) == []


CHURN = """
(module
  (type $bytes (array (mut i8)))
  (type $node (struct (field $next (mut (ref null $node))) (field $data (ref $bytes))
                      (field $n i32)))
  ;; Each round allocates an array of $size bytes and a node pointing at it, pushes the node
  ;; on a list and cuts the list after 16 nodes: the live set stays 16 arrays.
  (func (export "churn") (param $rounds i32) (param $size i32) (result i32)
    (local $head (ref null $node)) (local $p (ref null $node)) (local $a (ref null $bytes))
    (local $i i32) (local $k i32) (local $sum i32)
    (loop $round
      (local.set $a (array.new_default $bytes (local.get $size)))
      (array.set $bytes (local.get $a) (i32.const 0) (local.get $i))
      (local.set $head (struct.new $node (local.get $head) (ref.as_non_null (local.get $a))
                                         (local.get $i)))
      (local.set $p (local.get $head))
      (local.set $k (i32.const 1))
      (block $cut
        (loop $walk
          (br_if $cut (ref.is_null (struct.get $node $next (local.get $p))))
          (if (i32.eq (local.get $k) (i32.const 16))
            (then (struct.set $node $next (local.get $p) (ref.null $node)) (br $cut)))
          (local.set $p (struct.get $node $next (local.get $p)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $walk)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (local.get $rounds))))
    (local.set $p (local.get $head))
    (block $end
      (loop $add
        (br_if $end (ref.is_null (local.get $p)))
        (local.set $sum (i32.add (local.get $sum)
          (i32.add (struct.get $node $n (local.get $p))
                   (array.get_u $bytes (struct.get $node $data (local.get $p)) (i32.const 0)))))
        (local.set $p (struct.get $node $next (local.get $p)))
        (br $add)))
    (local.get $sum))
)
"""
ROUNDS, SIZE = 20_000, 65_536  # 1.25 GiB allocated in all, five times the heap's limit


def test_collector_keeps_memory_bounded(tmp_path: Path) -> None:
    """A program that allocates five times the GC heap's limit (and ~1,250 times its live
    set) runs to completion, with the answer wasmtime gives, a peak heap near the live set
    plus the collection threshold, and the collections counted."""
    from conftest import osbuild

    wat = tmp_path / "churn.wat"
    wat.write_text(CHURN)
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(wat)), [])
    expected = instance.exports(store)["churn"](store, ROUNDS, SIZE)  # type: ignore[operator]
    run = osbuild("run", "--stats", "--invoke", "churn", wat, str(ROUNDS), str(SIZE),
                  timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(expected)
    gc_line = next(line for line in run.stderr.splitlines() if "stats: gc:" in line)
    collections = int(gc_line.split("gc: ")[1].split()[0])
    peak_mib = float(gc_line.split("peak heap ")[1].split()[0])
    assert collections >= ROUNDS * SIZE // (16 << 20)  # a collection per threshold at least
    assert peak_mib < 16  # live set 1 MiB, threshold 4 MiB or twice what survived


HELD = """
(module
  (type $box (struct (field i32)))
  (type $bytes (array (mut i8)))
  (func (export "make") (param i32) (result anyref) (struct.new $box (local.get 0)))
  (func (export "read") (param anyref) (result i32)
    (struct.get $box 0 (ref.cast (ref $box) (local.get 0))))
  ;; garbage: n arrays of 64 KiB, and boxes that would reuse a freed box's block
  (func (export "churn") (param $n i32)
    (loop $l
      (drop (array.new_default $bytes (i32.const 65536)))
      (drop (struct.new $box (i32.const -1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n))))
)
"""


def test_references_held_by_the_host_survive_collections(tmp_path: Path) -> None:
    """A GC reference the Python API received stays valid through later collections."""
    from osbuild.host.api import Store
    from osbuild.host.pipeline import build_files

    wat = tmp_path / "held.wat"
    wat.write_text(HELD)
    image = build_files([wat], tmp_path / "held.elf")
    with Store(image) as store:
        inst = store.instantiate(0)
        boxes = [inst.exports["make"](k) for k in range(10)]
        inst.exports["churn"](200)  # 12.5 MiB of garbage: at least two collections
        assert [inst.exports["read"](b) for b in boxes] == list(range(10))


REFS = """(module
  (type $box (struct (field i32)))
  (func $f)
  (elem declare func $f)
  (func (export "struct") (result anyref) (struct.new $box (i32.const 7)))
  (func (export "null") (result anyref) (ref.null any))
  (func (export "func") (result funcref) (ref.func $f))
  (func (export "i31") (result i31ref) (ref.i31 (i32.const 5))))
"""


@pytest.mark.parametrize(("export", "pattern"), [
    ("struct", r"anyref\(0x[0-9a-f]+\)"), ("null", r"null"), ("func", r"funcref\(0x[0-9a-f]+\)"),
    ("i31", r"i31ref\(5\)")])
def test_invoke_prints_references_with_type_and_identity(tmp_path: Path, export: str,
                                                          pattern: str) -> None:
    import re

    from conftest import osbuild

    wat = tmp_path / "refs.wat"
    wat.write_text(REFS)
    run = osbuild("run", "--invoke", export, wat)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(pattern, run.stdout.strip()), run.stdout
