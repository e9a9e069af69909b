"""The memory files of the WebAssembly 3.0 spec suite that pass whole, run in the guest by
`osbuild spec` in each tier: memory64 (64-bit addresses, explicit bounds checks), table64
(i64 table indices), and multi-memory with the 3.0 forms of the core memory tests (memory
indices on every memory instruction, memories imported, exported and shared between
instances), and the linking files (imports of every kind between instances, 3.0's reference
type matching of imported globals and tables, tags declared, imported and exported), and the
exception handling files (throw, throw_ref, try_table, and tags shared between instances), and
the GC files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from osbuild.jit.target import TIERS

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(os.environ.get("OSBUILD_TESTSUITE", ROOT.parent / "shared" / "testsuite"))
MEMORY64 = ["address64", "align64", "binary_leb128_64", "bulk64", "endianness64",
            "float_memory64", "load64", "memory64", "memory_copy64", "memory_fill64",
            "memory_grow64", "memory_init64", "memory_redundancy64", "memory_trap64"]
TABLE64 = ["call_indirect64", "memory64-imports", "table64", "table_copy64", "table_fill64",
           "table_get64", "table_grow64", "table_set64", "table_size64"]
MULTI_MEMORY = ["address0", "address1", "align0", "binary0", "data", "data0", "data1",
                "data_drop0", "exports0", "float_exprs0", "float_exprs1", "float_memory0",
                "imports0", "imports1", "imports2", "imports3", "imports4",
                "linking0", "linking1", "linking2", "linking3", "load0", "load1", "load2",
                "memory", "memory-multi", "memory_copy0", "memory_copy1", "memory_fill0",
                "memory_grow", "memory_init0", "memory_size0", "memory_size1", "memory_size2",
                "memory_size3", "memory_size_import", "memory_trap0", "memory_trap1", "store0",
                "start0", "store1", "store2", "traps0"]
LINKING = ["imports", "linking", "custom/name_annot"]
# exception handling
EXCEPTIONS = ["throw", "throw_ref", "try_table", "instance"]
GC = ["array", "array_new_elem", "array_init_elem", "struct", "i31", "ref_eq", "ref_test",
      "ref_cast", "br_on_cast", "br_on_cast_fail",
      "array_copy", "array_fill", "array_init_data", "array_new_data", "type-canon",
      "type-equivalence", "type-rec", "type-subtyping", "extern", "binary-gc", "tag"]
GROUPS = {"memory64": MEMORY64, "table64": TABLE64, "multi-memory": MULTI_MEMORY,
          "linking": LINKING, "exceptions": EXCEPTIONS, "gc": GC}
COMMANDS = {"memory64": 5825, "table64": 1991, "multi-memory": 1067,  # all commands of each
            "linking": 388, "exceptions": 118, "gc": 855}


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("group", list(GROUPS))
def test_memory_spec_files(tmp_path: Path, group: str, tier: str) -> None:
    names = GROUPS[group]
    out = tmp_path / "spec.json"
    run = subprocess.run(
        [str(Path(sys.executable).parent / "osbuild"), "spec", "--suite", str(SUITE),
         "--json", str(out), "--tier", tier,
         *(str(SUITE / "wasm-3.0" / f"{name}.wast") for name in names)],
        capture_output=True, text=True, timeout=1800, check=False)
    assert out.exists(), run.stderr[-2000:]
    results = json.loads(out.read_text())
    failed = [f"{r['file']}:{o['line']}: {o['reason']}" for r in results for o in r["outcomes"]
              if not o["passed"]]
    assert failed == [], "\n".join(failed[:50])
    assert sum(len(r["outcomes"]) for r in results) == COMMANDS[group]
    assert run.returncode == 0, run.stderr[-2000:]
