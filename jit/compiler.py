"""compile_module: wasm bytes → cached RISC-V object + ModuleMeta.

Objects are cached (osbuild.cache, kind "objects"): the key covers the module bytes, the
options and the compiler's fingerprint (this package's source, the ABI definitions it reads,
llvmlite), so editing the compiler never serves a stale object. An entry is a directory
(module.o, meta.json) filled aside and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from osbuild import cache

from .artifact import CompiledModule
from .decode import decode
from .env import ModuleEnv, vmctx_layout
from .module import build
from .wasmtypes import Module

# Symbols a module object may leave undefined: the U-mode stubs of guest/user.S.
RUNTIME_SYMBOLS = {"osb_trap", "osb_hostcall", "osb_memgrow", "osb_tablegrow"}


def module_meta(wasm: Module, prefix: str, name: str, sha: str,
                symbols: dict[str, Any]) -> dict[str, Any]:
    shims: dict[int, str] = symbols["shims"]
    imports = []
    counters = {"func": 0, "table": 0, "memory": 0, "global": 0}
    for imp in wasm.imports:
        entry: dict[str, Any] = {"module": imp.module, "name": imp.name, "kind": imp.kind,
                                 "index": counters[imp.kind]}
        counters[imp.kind] += 1
        if imp.kind == "func":
            entry["sig"] = wasm.types[imp.desc].sig()  # type: ignore[index]
        elif imp.kind == "global":
            entry["type"] = wasm.global_type(entry["index"]).valtype
            entry["mutable"] = wasm.global_type(entry["index"]).mutable
        elif imp.kind == "memory":
            entry["min"], entry["max"] = imp.desc.min, imp.desc.max  # type: ignore[attr-defined]
        elif imp.kind == "table":
            tt = imp.desc
            entry.update(min=tt.limits.min, max=tt.limits.max, elem=tt.elem)  # type: ignore[attr-defined]
        imports.append(entry)
    exports = []
    for e in wasm.exports:
        entry = {"name": e.name, "kind": e.kind, "index": e.index}
        if e.kind == "func":
            entry["sig"] = wasm.func_type(e.index).sig()
            entry["shim"] = shims[e.index]
        elif e.kind == "global":
            gt = wasm.global_type(e.index)
            entry["type"], entry["mutable"] = gt.valtype, gt.mutable
        exports.append(entry)
    mem = wasm.memory_limits()
    memory = None
    if mem is not None:
        limits, imported = mem
        memory = {"min": limits.min, "max": limits.max, "imported": imported}
    nimp = wasm.num_imported_funcs
    tables = [{"min": t.limits.min, "max": t.limits.max, "elem": t.elem} for t in wasm.tables]
    globals_ = [{"type": g.type.valtype, "mutable": g.type.mutable} for g in wasm.globals]
    return {
        "prefix": prefix,
        "fuel": symbols.get("fuel", False),
        "name": wasm.name or name,
        "sha256": sha,
        "func_names": {str(k): v for k, v in sorted(wasm.func_names.items())},
        "nfuncs": nimp + len(wasm.funcs),
        "nimported_funcs": nimp,
        "nglobals": wasm.num_imported_globals + len(wasm.globals),
        "ntables": len(wasm.imported("table")) + len(wasm.tables),
        "nimported_tables": len(wasm.imported("table")),
        "nimported_globals": wasm.num_imported_globals,
        "imports": imports,
        "exports": exports,
        "memory": memory,
        "tables": tables,  # defined tables (imported ones are in "imports")
        "globals": globals_,  # defined globals
        "vmctx": vmctx_layout(wasm),
        "init": symbols["init"],
        "start": shims[wasm.start] if wasm.start is not None else None,
    }


def undefined_symbols(obj: bytes) -> set[str]:
    from io import BytesIO

    from elftools.elf.elffile import ELFFile

    elf = ELFFile(BytesIO(obj))
    symtab = elf.get_section_by_name(".symtab")
    return {s.name for s in symtab.iter_symbols()  # type: ignore[union-attr]
            if s.name and s["st_shndx"] == "SHN_UNDEF"}


def compile_uncached(wasm_bytes: bytes, name: str,
                     fuel: bool = False) -> tuple[bytes, dict[str, Any], str]:
    """Compile without the cache: returns (object, meta, optimized IR)."""
    sha = hashlib.sha256(wasm_bytes).hexdigest()
    prefix = "w" + sha[:12]
    wasm = decode(wasm_bytes)
    env = ModuleEnv(wasm, prefix, fuel=fuel)
    symbols = build(env)
    obj, ir_text = env.emit_object()
    stray = undefined_symbols(obj) - RUNTIME_SYMBOLS
    if stray:
        raise RuntimeError(f"compiled object needs unexpected symbols: {sorted(stray)}")
    return obj, module_meta(wasm, prefix, name, sha, symbols), ir_text


def compile_module(wasm_bytes: bytes, name: str = "module", *,
                   fuel: bool = False) -> CompiledModule:
    """Compile (or fetch from the cache) one validated module; ``fuel`` adds the
    instruction-count budget checks of `osbuild run --fuel`."""
    path = cache.entry("objects", cache.make_key(wasm_bytes, f"fuel={fuel}",
                                                 cache.compiler_fingerprint()))
    obj_path, meta_path = path / "module.o", path / "meta.json"
    if obj_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("name") != name and not meta.get("named_by_module"):
            meta["name"] = name
        return CompiledModule(meta, obj_path)
    obj, meta, _ = compile_uncached(wasm_bytes, name, fuel)
    meta["named_by_module"] = decode_has_name(meta, name)
    with cache.filling(path) as tmp:
        (tmp / "module.o").write_bytes(obj)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
    return CompiledModule(meta, obj_path)


def decode_has_name(meta: dict[str, Any], given: str) -> bool:
    """True when the module named itself (name section), so the file name must not override."""
    return meta["name"] != given
