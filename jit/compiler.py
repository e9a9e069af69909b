"""compile_module: wasm bytes → cached RISC-V object + ModuleMeta.

A module is compiled as units (jit/units.py): one object per wasm function, compiled by a pool
of worker processes (jit/pool.py) and cached by unit, plus the module-level unit (thunks,
shims, P_init) in parts of bounded size, compiled by the same pool; ``ld.lld -r`` joins them
into the module's object. That object is cached too
(osbuild.cache, kind "objects"): the key covers the module bytes, the options and the
compiler's fingerprint (this package's source, the ABI definitions it reads, llvmlite), so
editing the compiler never serves a stale object. An entry is a directory (module.o,
meta.json) filled aside and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osbuild import cache
from osbuild.tmpdirs import private_dir

from .artifact import CompiledModule
from .decode import decode
from .env import ModuleEnv, type_id, vmctx_layout
from .module import build
from .progress import Progress
from .units import (
    PLACEHOLDER,
    UnitCompiler,
    context_digest,
    inline_key,
    inlines,
    link,
    options_text,
    undefined_symbols,
    unit_key,
)
from .wasmtypes import Module, guest_code, ref_key

# Below this many bytes of function bodies to compile, starting workers costs more than it saves.
SERIAL_BYTES = 48 * 1024

# The weight of a module-level part (jit/module.py PART_STEPS) when batches are formed, in
# bytes of function body of about the same work.
PART_BYTES = 64 * 1024

# Symbols a module object may leave undefined: the U-mode stubs of guest/user.S.
RUNTIME_SYMBOLS = {"osb_trap", "osb_hostcall", "osb_memgrow", "osb_tablegrow", "osb_throw",
                   "osb_throw_ref", "osb_setjmp", "osb_gc_alloc"}


def module_meta(wasm: Module, prefix: str, name: str, sha: str,
                symbols: dict[str, Any]) -> dict[str, Any]:
    shims: dict[int, str] = symbols["shims"]
    imports = []
    counters = {"func": 0, "table": 0, "memory": 0, "global": 0, "tag": 0}
    for imp in wasm.imports:
        entry: dict[str, Any] = {"module": imp.module, "name": imp.name, "kind": imp.kind,
                                 "index": counters[imp.kind]}
        counters[imp.kind] += 1
        if imp.kind == "func":
            entry["sig"] = wasm.types[imp.desc].sig()  # type: ignore[index]
            entry["tid"] = type_id(wasm.types[imp.desc])  # type: ignore[index]
        elif imp.kind == "global":
            gt = wasm.global_type(entry["index"])
            entry["type"], entry["mutable"] = guest_code(gt.valtype), gt.mutable
            entry["ref"] = ref_key(gt.valtype, wasm.types)
        elif imp.kind == "tag":
            entry["tid"] = type_id(wasm.types[imp.desc])  # type: ignore[index]
        elif imp.kind == "memory":
            entry["min"], entry["max"] = imp.desc.min, imp.desc.max  # type: ignore[attr-defined]
            entry["index64"] = imp.desc.index64  # type: ignore[attr-defined]
        elif imp.kind == "table":
            tt = imp.desc
            entry.update(min=tt.limits.min, max=tt.limits.max,  # type: ignore[attr-defined]
                         elem=ref_key(tt.elem, wasm.types),  # type: ignore[attr-defined]
                         index64=tt.limits.index64)  # type: ignore[attr-defined]
        imports.append(entry)
    exports = []
    for e in wasm.exports:
        entry = {"name": e.name, "kind": e.kind, "index": e.index}
        if e.kind == "func":
            entry["sig"] = wasm.func_type(e.index).sig()
            entry["shim"] = shims[e.index]
            entry["tid"] = type_id(wasm.func_type(e.index))
        elif e.kind == "tag":
            entry["tid"] = type_id(wasm.tag_type(e.index))
        elif e.kind == "global":
            gt = wasm.global_type(e.index)
            entry["type"], entry["mutable"] = guest_code(gt.valtype), gt.mutable
            entry["ref"] = ref_key(gt.valtype, wasm.types)
        exports.append(entry)
    mem = wasm.memory_limits()
    memory = None
    if mem is not None:
        limits, imported = mem
        memory = {"min": limits.min, "max": limits.max, "imported": imported,
                  "index64": limits.index64}
    nimp = wasm.num_imported_funcs
    tables = [{"min": t.limits.min, "max": t.limits.max, "elem": ref_key(t.elem, wasm.types),
               "index64": t.limits.index64} for t in wasm.tables]
    globals_ = [{"type": guest_code(g.type.valtype), "mutable": g.type.mutable}
                for g in wasm.globals]
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
        "ntags": wasm.num_tags,
        "nimported_tags": len(wasm.imported("tag")),
        "imports": imports,
        "exports": exports,
        "memory": memory,  # memory 0
        "memories": [{"min": m.min, "max": m.max, "index64": m.index64}
                     for m in wasm.memories],  # defined memories (imported: "imports")
        "tables": tables,  # defined tables (imported ones are in "imports")
        "globals": globals_,  # defined globals
        "vmctx": vmctx_layout(wasm),
        "init": symbols["init"],
        "start": shims[wasm.start] if wasm.start is not None else None,
        # where each defined function's body starts: debug lines are relative to it
        "code_offsets": [start for start, _ in wasm.body_spans],
    }


def compile_uncached(wasm_bytes: bytes, name: str, fuel: bool = False,
                     tier: str = "opt") -> tuple[bytes, dict[str, Any], str]:
    """Compile the whole module as one unit without the cache: returns (object, meta,
    optimized IR). For tests that read the IR; images are built by `compile_module`."""
    sha = hashlib.sha256(wasm_bytes).hexdigest()
    prefix = "w" + sha[:12]
    wasm = decode(wasm_bytes)
    env = ModuleEnv(wasm, prefix, fuel=fuel)
    symbols = build(env)
    obj, ir_text = env.emit_object(tier)
    stray = undefined_symbols(obj) - RUNTIME_SYMBOLS
    if stray:
        raise RuntimeError(f"compiled object needs unexpected symbols: {sorted(stray)}")
    return obj, module_meta(wasm, prefix, name, sha, symbols), ir_text


@dataclass
class CompileStats:
    """What one `compile_module` call did (filled in when a caller passes one)."""

    cached: bool = False  # the module's object came from the cache
    units: int = 0  # function units of the module
    compiled: int = 0  # function units compiled (not found in the unit cache)
    jobs: int = 0  # worker processes used (0: compiled in this process)


def jobs_for(jobs: int | None) -> int:
    """Worker count: the caller's, else $OSBUILD_JOBS, else one per CPU."""
    if jobs is None:
        jobs = int(os.environ.get("OSBUILD_JOBS", "0")) or (os.cpu_count() or 1)
    return max(jobs, 1)


def compile_units(wasm_bytes: bytes, name: str, fuel: bool, tier: str, jobs: int,
                  stats: CompileStats, out: Path) -> dict[str, Any]:
    """Compile every unit not in the unit cache, link all into ``out``; returns the meta."""
    from .pool import Task, compile_parallel, compile_serial

    sha = hashlib.sha256(wasm_bytes).hexdigest()
    prefix = "w" + sha[:12]
    compiler = UnitCompiler(wasm_bytes, fuel, tier)
    wasm = compiler.wasm
    context = context_digest(wasm_bytes, wasm)
    options, fingerprint = options_text(fuel, tier), cache.compiler_fingerprint()
    nimp = wasm.num_imported_funcs
    paths: list[Path] = []
    todo: list[Task] = []
    sizes: list[int] = []
    for k, (start, end) in enumerate(wasm.body_spans):
        inlined = inline_key(wasm_bytes, wasm, start, end) if inlines(fuel, tier) else b""
        path = cache.entry("units", unit_key(context, wasm_bytes[start:end], nimp + k, options,
                                             fingerprint, inlined), ".o")
        paths.append(path)
        if not path.exists():
            todo.append(("f", nimp + k, path))
            sizes.append(end - start)
    stats.units, stats.compiled = len(paths), len(todo)
    parallel = jobs > 1 and len(todo) > 1 and sum(sizes) >= SERIAL_BYTES
    with private_dir("level") as level:
        # The module-level parts are compiled with the functions (never cached: they depend
        # on the whole module); their work is weighed like a function of PART_BYTES.
        for k in range(len(compiler.level_parts())):
            todo.append(("level", k, Path(level) / f"module-level-{k}.o"))
            sizes.append(PART_BYTES)
        progress = Progress(len(todo))
        try:
            if parallel:
                stats.jobs = jobs
                module = Path(level) / "module.wasm"  # the workers map it
                module.write_bytes(wasm_bytes)
                compile_parallel(module, fuel, tier, todo, sizes, jobs, progress.advance)
            else:
                compile_serial(compiler, todo, progress.advance)
        finally:
            progress.close()
        link([*paths, *(dest for what, _, dest in todo if what == "level")], prefix, out)
    symbols = compiler.level_symbols()
    stray = undefined_symbols(out) - RUNTIME_SYMBOLS
    if stray:
        raise RuntimeError(f"compiled object needs unexpected symbols: {sorted(stray)}")
    shims = {i: n.replace(PLACEHOLDER, prefix)
             for i, n in symbols["shims"].items()}  # type: ignore[attr-defined]
    symbols = {**symbols, "shims": shims,
               "init": str(symbols["init"]).replace(PLACEHOLDER, prefix)}
    return module_meta(wasm, prefix, name, sha, symbols)


def compile_module(wasm_bytes: bytes, name: str = "module", *, fuel: bool = False,
                   tier: str = "opt", jobs: int | None = None,
                   stats: CompileStats | None = None) -> CompiledModule:
    """Compile (or fetch from the cache) one validated module. ``fuel`` adds the
    instruction-count budget checks of `osbuild run --fuel`; ``tier`` is "opt" (LLVM O2) or
    "fast" (jit/target.py); ``jobs`` worker processes compile the units (default: $OSBUILD_JOBS
    or one per CPU)."""
    stats = stats if stats is not None else CompileStats()
    path = cache.entry("objects", cache.make_key(wasm_bytes, f"fuel={fuel}", f"tier={tier}",
                                                 cache.compiler_fingerprint()))
    obj_path, meta_path = path / "module.o", path / "meta.json"
    if obj_path.exists() and meta_path.exists():
        stats.cached = True
        meta = json.loads(meta_path.read_text())
        if meta.get("name") != name and not meta.get("named_by_module"):
            meta["name"] = name
        return CompiledModule(meta, obj_path)
    with cache.filling(path) as tmp:
        meta = compile_units(wasm_bytes, name, fuel, tier, jobs_for(jobs), stats,
                             tmp / "module.o")
        meta["named_by_module"] = decode_has_name(meta, name)
        meta["tier"] = tier
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
    return CompiledModule(meta, obj_path)


def decode_has_name(meta: dict[str, Any], given: str) -> bool:
    """True when the module named itself (name section), so the file name must not override."""
    return meta["name"] != given
