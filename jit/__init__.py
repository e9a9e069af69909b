"""osbuild.jit: WebAssembly decoder and ahead-of-time compiler to RISC-V through LLVM.

The public names load lazily, so that importing a light submodule (``osbuild.jit.wasmtools``)
does not load LLVM.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CompiledModule", "compile_module", "load_wasm"]


def __getattr__(name: str) -> Any:
    if name == "CompiledModule":
        from .artifact import CompiledModule

        return CompiledModule
    if name == "compile_module":
        from .compiler import compile_module

        return compile_module
    if name == "load_wasm":
        from .wasmtools import load_wasm

        return load_wasm
    raise AttributeError(name)
