"""The robustness fuzzer's bounded profile (tests/fuzz_inputs.py; `make fuzz` runs it
open-ended): a fixed, seeded set of truncated, edited, random, custom-section and
`wasm-tools mutate` inputs, each rejected with one clear line or built and run as wasmtime
runs it; no internal error, traceback, hang, partial image or leftover file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TESTS, qemu_processes

pytestmark = pytest.mark.qemu


def test_bounded_profile_has_no_findings(tmp_path: Path) -> None:
    before = qemu_processes()
    proc = subprocess.run([sys.executable, str(TESTS / "fuzz_inputs.py"), "--profile",
                           "bounded", "--findings", str(tmp_path / "findings")],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.splitlines()[-1] == "findings: 0"
    summary = proc.stdout.splitlines()[-2]
    assert summary.startswith("260 inputs") and " ran " in summary, summary
    assert qemu_processes() == before
