"""The official WebAssembly 2.0 spec suite (non-SIMD), run inside the guest by `osbuild spec`,
plus unit tests of the runner's value matching."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from osbuild.host.spec import default_suite, find_wast
from osbuild.host.specvalues import arg_bits, matches
from osbuild.jit.target import TIERS

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(os.environ.get("OSBUILD_TESTSUITE", ROOT.parent / "shared" / "testsuite"))


def test_nan_patterns() -> None:
    canonical = {"type": "f32", "value": "nan:canonical"}
    arithmetic = {"type": "f32", "value": "nan:arithmetic"}
    assert matches(canonical, "f32", 0x7FC00000) and matches(canonical, "f32", 0xFFC00000)
    assert not matches(canonical, "f32", 0x7FC00001)
    assert matches(arithmetic, "f32", 0x7FC00001)
    assert not matches(arithmetic, "f32", 0x7FA00000)  # signaling
    assert not matches(arithmetic, "f32", 0x7F800000)  # infinity
    assert matches({"type": "f64", "value": "nan:arithmetic"}, "f64", 0xFFF8000000000001)


def test_bit_exact_values_and_refs() -> None:
    assert matches({"type": "i32", "value": "4294967295"}, "i32", 0xFFFFFFFF)
    assert not matches({"type": "i32", "value": "1"}, "i64", 1)
    assert matches({"type": "f32", "value": "2147483648"}, "f32", 0x80000000)  # -0.0
    assert not matches({"type": "f32", "value": "0"}, "f32", 0x80000000)
    assert arg_bits({"type": "externref", "value": "0"}) == 2  # host value 0: 0 << 2 | 2
    assert arg_bits({"type": "externref", "value": "5"}) == 22
    assert arg_bits({"type": "externref", "value": "null"}) == 0
    assert matches({"type": "externref", "value": "0"}, "externref", 2)
    assert matches({"type": "anyref", "value": "5"}, "externref", 22)  # internalized
    assert matches({"type": "funcref", "value": "null"}, "funcref", 0)


def test_v128_lanes_either_and_words() -> None:
    """v128 values are compared lane by lane with each lane's NaN rules; relaxed SIMD's
    `either` matches any alternative; an argument travels as two u64 words, low half first."""
    from osbuild.host.specvalues import v128_words

    nan_lanes = {"type": "v128", "lane_type": "f32",
                 "value": ["nan:canonical", "nan:arithmetic", "0", "1065353216"]}
    good = 0x7FC00000 | 0x7FC00001 << 32 | 0 << 64 | 0x3F800000 << 96
    assert matches(nan_lanes, "v128", good)
    assert not matches(nan_lanes, "v128", good | 1)  # lane 0 no longer canonical
    assert not matches(nan_lanes, "v128", good ^ 0x7FC00001 << 32 | 0x7FA00000 << 32)
    ints = {"type": "v128", "lane_type": "i8", "value": ["255"] + ["0"] * 15}
    assert arg_bits(ints) == 0xFF and matches(ints, "v128", 0xFF)
    assert not matches(ints, "v128", 0x1FF)
    either = {"type": "either", "values": [{"type": "v128", "lane_type": "i64",
                                            "value": [str(v), "0"]} for v in (1, 2)]}
    assert matches(either, "v128", 2) and not matches(either, "v128", 3)
    wide = {"type": "v128", "lane_type": "i64", "value": ["1", "18446744073709551615"]}
    assert v128_words(wide) == [1, (1 << 64) - 1]


def test_directory_selects_non_simd_files() -> None:
    files = find_wast([str(SUITE / "wasm-2.0")], SUITE)
    assert files and not any(f.name.startswith("simd_") for f in files)
    assert default_suite().name == "testsuite"


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_full_non_simd_suite(tmp_path: Path, tier: str) -> None:
    """Every command of the 2.0 non-SIMD files passes in the guest, in each tier."""
    out = tmp_path / "spec.json"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "osbuild"), "spec", "--suite", str(SUITE),
         "--json", str(out), "--tier", tier, str(SUITE / "wasm-2.0")],
        capture_output=True, text=True, timeout=1800, check=False)
    lines = run.stdout.strip().splitlines()
    assert lines, run.stderr
    summary = lines[-1]
    results = json.loads(out.read_text())
    failed = [f"{r['file']}:{o['line']}: {o['reason']}" for r in results for o in r["outcomes"]
              if not o["passed"]]
    total = sum(len(r["outcomes"]) for r in results)
    assert failed == [], "\n".join(failed[:50])
    assert summary == f"{total} passed, 0 failed"
    assert total == 27912
    assert run.returncode == 0


# Every SIMD and relaxed SIMD file of 3.0, each expected to pass completely.
SIMD_FILES = sorted(f for f in (SUITE / "wasm-3.0").glob("*.wast")
                    if f.name.startswith("simd_") or "relaxed" in f.name)


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_simd_suite(tmp_path: Path, tier: str) -> None:
    """Every command of the 3.0 SIMD and relaxed SIMD files passes in the guest."""
    assert len(SIMD_FILES) == 66
    out = tmp_path / "spec.json"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "osbuild"), "spec", "--suite", str(SUITE),
         "--json", str(out), "--tier", tier, *map(str, SIMD_FILES)],
        capture_output=True, text=True, timeout=1800, check=False)
    results = json.loads(out.read_text())
    failed = [f"{r['file']}:{o['line']}: {o['reason']}" for r in results for o in r["outcomes"]
              if not o["passed"]]
    assert failed == [], "\n".join(failed[:50])
    assert sum(len(r["outcomes"]) for r in results) == 26067
    assert run.returncode == 0


# WebAssembly 3.0 files that pass whole: typed function references, tail calls, extended
# constants, 3.0 tables/elements/globals/select, branch hints and custom annotations.
WASM3_FILES = [
    "br_on_non_null", "br_on_null", "br_table", "call_ref", "elem", "func_ptrs", "global",
    "local_init", "ref", "ref_as_non_null", "ref_is_null", "ref_null", "return_call",
    "return_call_indirect", "return_call_ref", "select", "table", "table-sub",
    "table_copy_mixed", "unreached-valid", "custom/branch_hint", "custom/custom_annot",
]


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_wasm3_files(tmp_path: Path, tier: str) -> None:
    """Every command of the 3.0 files above passes in the guest, in each tier."""
    out = tmp_path / "spec.json"
    files = [str(SUITE / "wasm-3.0" / f"{name}.wast") for name in WASM3_FILES]
    run = subprocess.run(
        [str(Path(sys.executable).parent / "osbuild"), "spec", "--suite", str(SUITE),
         "--json", str(out), "--tier", tier, *files],
        capture_output=True, text=True, timeout=1800, check=False)
    results = json.loads(out.read_text())
    failed = [f"{r['file']}:{o['line']}: {o['reason']}" for r in results for o in r["outcomes"]
              if not o["passed"]]
    assert failed == [], "\n".join(failed[:50])
    assert sum(len(r["outcomes"]) for r in results) == 1061
    assert run.returncode == 0, run.stderr
