"""The memory64 files of the WebAssembly 3.0 spec suite that pass whole, run in the guest by
`osbuild spec` (the rest of wasm-3.0 needs features not built yet: multi-memory, table64)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(os.environ.get("OSBUILD_TESTSUITE", ROOT.parent / "shared" / "testsuite"))
FILES = ["address64", "align64", "binary_leb128_64", "bulk64", "endianness64", "float_memory64",
         "load64", "memory_copy64", "memory_fill64", "memory_grow64", "memory_init64",
         "memory_redundancy64", "memory_trap64"]
COMMANDS = 5756  # all commands of FILES


@pytest.mark.qemu
def test_memory64_spec_files(tmp_path: Path) -> None:
    out = tmp_path / "spec.json"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "osbuild"), "spec", "--suite", str(SUITE),
         "--json", str(out), *(str(SUITE / "wasm-3.0" / f"{name}.wast") for name in FILES)],
        capture_output=True, text=True, timeout=1800, check=False)
    results = json.loads(out.read_text())
    failed = [f"{r['file']}:{o['line']}: {o['reason']}" for r in results for o in r["outcomes"]
              if not o["passed"]]
    assert failed == [], "\n".join(failed[:50])
    assert sum(len(r["outcomes"]) for r in results) == COMMANDS
    assert run.returncode == 0, run.stderr[-2000:]
