"""A real program nobody here wrote: QuickJS (1.4 MB, built for WASI by its own toolchain,
../shared/realworld) runs a one-liner and a benchmark script in every compiler tier and prints
what the wasmtime package prints for the same arguments and preopened folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, osbuild, under_wasmtime

REALWORLD = ROOT.parent / "shared" / "realworld"
QUICKJS = REALWORLD / "quickjs.wasm"
ONE_LINER = "console.log([1,2,3].map(x=>x*x).join(','))"
BUILD_AND_RUN = 1200.0  # seconds: a cold build of every function in the opt tier, loaded machine

pytestmark = [
    pytest.mark.qemu,
    pytest.mark.skipif(not QUICKJS.exists(), reason=f"{QUICKJS} is not there (../shared)"),
]

TIER_FLAGS = {"fast": [], "opt": ["--opt"]}


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_quickjs_prints_what_wasmtime_prints(tier: str, tmp_path: Path) -> None:
    expected_e = under_wasmtime(QUICKJS, ["-e", ONE_LINER], tmp_path)
    got = osbuild("run", *TIER_FLAGS[tier], QUICKJS, "-e", ONE_LINER, text=False,
                  timeout=BUILD_AND_RUN)
    assert (got.stdout, got.returncode) == (expected_e[0], expected_e[2]), got.stderr[-2000:]
    assert expected_e[0].strip(), "the oracle printed nothing"

    expected_b = under_wasmtime(QUICKJS, ["/data/bench.js"], tmp_path,
                                preopen=(REALWORLD, "/data"))
    got = osbuild("run", *TIER_FLAGS[tier], "--dir", f"{REALWORLD}::/data", QUICKJS,
                  "/data/bench.js", text=False, timeout=BUILD_AND_RUN)
    assert (got.stdout, got.returncode) == (expected_b[0], expected_b[2]), got.stderr[-2000:]
    assert expected_b[0].count(b"\n") == 2, "the oracle did not run the whole script"
