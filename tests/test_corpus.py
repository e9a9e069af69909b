"""Replays every divergence the property-based tests and `make fuzz` ever found (tests/corpus/
*.wat, one minimal module each): each must now agree with wasmtime."""

from __future__ import annotations

from pathlib import Path

import pytest
from difftest import check, plan_calls

from osbuild.jit.wasmtools import wat_to_wasm

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.wat"))

pytestmark = pytest.mark.qemu


def test_corpus_agrees_with_wasmtime() -> None:
    assert CORPUS, "the corpus holds at least the divergences found so far"
    cases = [plan_calls(wat_to_wasm(p.read_bytes())) for p in CORPUS]
    divergences = [f"{CORPUS[i].name}: {d}" for i, d in check(cases)]
    assert divergences == []
