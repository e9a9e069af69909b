"""The RISC-V extensions of guest/isa.def: the compiler uses them, and the kernel refuses, at
boot and in one line, a CPU that lacks one (QEMU can switch each off: -cpu rv64,zba=false)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from osbuild.host.console import boot
from osbuild.host.pipeline import build_files
from osbuild.host.protocol import ANSWERS, Script
from osbuild.jit import target

# a scaled, zero-extended index: without Zba `slli 32; srli 32; slli 3; add`, with it `sh3add.uw`
INDEXED = """(module (memory 1)
  (func (export "get") (param i32) (result i64) (i64.load (i32.shl (local.get 0) (i32.const 3)))))
"""


def test_the_compiler_uses_the_extensions_of_isa_def(tmp_path: Path) -> None:
    assert target.extensions() == ["zba", "zbb", "v"]
    from osbuild.jit.compiler import compile_module
    from osbuild.jit.wasmtools import load_wasm

    (tmp_path / "m.wat").write_text(INDEXED)
    obj = compile_module(load_wasm(tmp_path / "m.wat"), "m", tier="opt").object_path
    text = subprocess.run(["llvm-objdump", "-d", "--mattr=+zba,+zbb", str(obj)],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"\bsh3add(\.uw)?\b|\badd\.uw\b", text), text


@pytest.mark.qemu
@pytest.mark.parametrize("missing", ["zba", "zbb", "v"])
def test_a_cpu_without_an_extension_is_refused_at_boot(tmp_path: Path, missing: str) -> None:
    (tmp_path / "m.wat").write_text(INDEXED)
    image = build_files([tmp_path / "m.wat"], tmp_path / "m.elf")
    frames: list[tuple[str, bytes]] = []
    status, _ = boot(image, Script().instantiate(0).invoke(0, "get", [0]),
                     lambda ch, payload: frames.append((ch, payload)), timeout=60,
                     extra_args=["-cpu", f"rv64,{missing}=false"])
    assert status == 70
    assert not [ch for ch, _ in frames if ch in ANSWERS]  # no wasm code ran
    panic = [p.decode() for ch, p in frames if ch == "P"]
    assert len(panic) == 1 and "\n" not in panic[0]
    assert f"needs the RISC-V extension {missing}, which the CPU lacks" in panic[0]


@pytest.mark.qemu
def test_the_default_cpu_runs_the_image(tmp_path: Path) -> None:
    (tmp_path / "m.wat").write_text(INDEXED)
    image = build_files([tmp_path / "m.wat"], tmp_path / "m.elf")
    frames: list[str] = []
    status, _ = boot(image, Script().instantiate(0).invoke(0, "get", [0]),
                     lambda ch, payload: frames.append(ch), timeout=60)
    assert status == 0 and frames.count("R") == 2
