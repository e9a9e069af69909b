"""Property-based differential tests of the compiler against wasmtime (bounded profile for
`make test`: a fixed, derandomized profile of 8 batches per generator, a few hundred modules;
`make fuzz` runs the open-ended campaign). Each hypothesis example is a batch of modules run
in one QEMU boot; a failing batch shrinks to the diverging module."""

from __future__ import annotations

import os

import pytest
from difftest import TIERS, Call, Case, check, plan_calls
from gen import case as wat_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smith import smith

from osbuild.jit.wasmtools import validate, wat_to_wasm

pytestmark = pytest.mark.qemu

EXAMPLES = int(os.environ.get("OSBUILD_PBT_EXAMPLES", "8"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                   suppress_health_check=list(HealthCheck), database=None)


def to_case(wat: str, calls: list[list[int]]) -> Case:
    wasm = wat_to_wasm(wat.encode())
    validate(wasm)
    c = plan_calls(wasm)
    c.calls = [Call("f", next(x.sig for x in c.calls if x.export == "f"), args)
               for args in calls]
    return c


@pytest.mark.parametrize("tier", TIERS)
@PROFILE
@given(st.lists(wat_case(), min_size=10, max_size=20))
def test_generated_functions_agree_with_wasmtime(tier: str,
                                                 batch: list[tuple[str, list[list[int]]]]) -> None:
    cases = [to_case(wat, calls) for wat, calls in batch]
    divergences = check(cases, tier)
    assert divergences == [], [(batch[i][0], d) for i, d in divergences]


@pytest.mark.parametrize("tier", TIERS)
@PROFILE
@given(st.lists(st.binary(min_size=32, max_size=2048), min_size=20, max_size=40))
def test_smith_modules_agree_with_wasmtime(tier: str, seeds: list[bytes]) -> None:
    modules = [m for m in (smith(s) for s in seeds) if m is not None]
    cases = [plan_calls(m) for m in modules]
    assert check(cases, tier) == []


@PROFILE
@given(st.lists(st.binary(min_size=32, max_size=2048), min_size=20, max_size=40))
def test_smith_simd_modules_agree_with_wasmtime(seeds: list[bytes]) -> None:
    """wasm-smith with SIMD: v128 code inside functions whose exports wasmtime can call."""
    modules = [m for m in (smith(s, simd=True) for s in seeds) if m is not None]
    cases = [plan_calls(m) for m in modules]
    assert check(cases, "opt") == []
