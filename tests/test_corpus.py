"""Replays every divergence the property-based tests and `make fuzz` ever found (tests/corpus/
*.wat, one minimal module each): each must now agree with wasmtime."""

from __future__ import annotations

from pathlib import Path

import pytest
from difftest import TIERS, Call, Case, check, plan_calls

from osbuild.jit.wasmtools import wat_to_wasm

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.wat"))

pytestmark = pytest.mark.qemu


def replay_case(path: Path) -> Case:
    """The module, called as recorded (`;; call EXPORT ARGS` lines, names and args in hex),
    or every export with zero arguments when nothing is recorded."""
    case = plan_calls(wat_to_wasm(path.read_bytes()))
    recorded = [ln.split()[2:] for ln in path.read_text().splitlines()
                if ln.startswith(";; call ")]
    if recorded:
        sigs = {c.export: c.sig for c in case.calls}
        calls = []
        for name, *args in recorded:
            export = "" if name == "-" else bytes.fromhex(name).decode(errors="replace")
            if export in sigs:  # the minimizer may have removed or renamed an export
                calls.append(Call(export, sigs[export], [int(a, 16) for a in args]))
        case.calls = calls
    return case


@pytest.mark.parametrize("tier", TIERS)
def test_corpus_agrees_with_wasmtime(tier: str) -> None:
    assert CORPUS, "the corpus holds at least the divergences found so far"
    cases = [replay_case(p) for p in CORPUS]
    divergences = [f"{CORPUS[i].name}: {d}" for i, d in check(cases, tier)]
    assert divergences == []
