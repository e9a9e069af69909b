"""osbuild.jit: WebAssembly decoder and ahead-of-time compiler to RISC-V through LLVM."""

from .artifact import CompiledModule
from .compiler import compile_module
from .wasmtools import load_wasm

__all__ = ["CompiledModule", "compile_module", "load_wasm"]
