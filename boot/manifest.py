"""Generating manifest.c, the instance descriptors the kernel reads (guest/manifest.h), from
the modules' metadata, plus the metadata itself as the image's `.osbuild.meta` section so that
an image alone is enough to call its exports and symbolize its backtraces."""

from __future__ import annotations

import json
from typing import Any

KINDS = {"func": "KIND_FUNC", "table": "KIND_TABLE", "memory": "KIND_MEMORY", "tag": "KIND_TAG",
         "global": "KIND_GLOBAL"}


def c_bytes(data: bytes) -> str:
    """A C string literal holding exactly these bytes (octal escapes, no trigraph surprises)."""
    out = []
    for b in data:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C, 0x3F):
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


def c_name(name: str) -> tuple[str, int]:
    raw = name.encode("utf-8")
    return c_bytes(raw), len(raw)


def limit(value: int | None) -> str:
    return "NO_MAX" if value is None else f"{value}UL"


def import_entry(imp: dict[str, Any], prefix: str, func_index: int) -> str:
    mod, mlen = c_name(imp["module"])
    name, nlen = c_name(imp["name"])
    fields = [f".module = {mod}", f".module_len = {mlen}", f".name = {name}",
              f".name_len = {nlen}", f".kind = {KINDS[imp['kind']]}", f".index = {imp['index']}"]
    if imp["kind"] == "func":
        fields += [f".sig = {c_name(imp['sig'])[0]}", f".thunk = {prefix}_imp{func_index}",
                   f".tid = {imp['tid']}UL"]
    elif imp["kind"] == "global":
        fields += [f".valtype = {imp['type']}", f".mut = {int(imp['mutable'])}",
                   f".ref = {imp['ref']}UL"]
    elif imp["kind"] == "tag":
        fields.append(f".tid = {imp['tid']}UL")
    else:
        fields += [f".min = {imp['min']}UL", f".max = {limit(imp['max'])}"]
        fields.append(f".index64 = {int(imp.get('index64', False))}")
        if imp["kind"] == "table":
            fields.append(f".elem = {imp['elem']}UL")
    return "{" + ", ".join(fields) + "}"


def export_entry(exp: dict[str, Any]) -> str:
    name, nlen = c_name(exp["name"])
    fields = [f".name = {name}", f".name_len = {nlen}", f".kind = {KINDS[exp['kind']]}",
              f".index = {exp['index']}"]
    if exp["kind"] == "func":
        fields += [f".sig = {c_name(exp['sig'])[0]}", f".shim = {exp['shim']}",
                   f".tid = {exp['tid']}UL"]
    elif exp["kind"] == "global":
        fields += [f".valtype = {exp['type']}", f".mut = {int(exp['mutable'])}",
                   f".ref = {exp['ref']}UL"]
    elif exp["kind"] == "tag":
        fields.append(f".tid = {exp['tid']}UL")
    return "{" + ", ".join(fields) + "}"


def module_entry(i: int, meta: dict[str, Any], out: list[str]) -> None:
    p = meta["prefix"]
    imports, exports = meta["imports"], meta["exports"]
    if imports:
        out.append(f"static const struct osb_import m{i}_imports[] = {{")
        out.extend(f"  {import_entry(imp, p, imp['index'])}," for imp in imports)
        out.append("};")
    if exports:
        out.append(f"static const struct osb_export m{i}_exports[] = {{")
        out.extend(f"  {export_entry(e)}," for e in exports)
        out.append("};")
    if meta["tables"]:
        out.append(f"static const struct osb_table_def m{i}_tables[] = {{")
        out.extend(f"  {{{t['min']}UL, {limit(t['max'])}, {t['elem']}UL, "
                   f"{int(t.get('index64', False))}}},"
                   for t in meta["tables"])
        out.append("};")
    memories = meta.get("memories", [])
    if memories:
        out.append(f"static const struct osb_memory_def m{i}_memories[] = {{")
        out.extend(f"  {{{m['min']}UL, {limit(m['max'])}, {int(m['index64'])}}},"
                   for m in memories)
        out.append("};")
    nimported_memories = sum(imp["kind"] == "memory" for imp in imports)
    vm = meta["vmctx"]
    fields = [
        f".name = {c_name(meta['name'])[0]}",
        f".nimports = {len(imports)}", f".nexports = {len(exports)}",
        f".imports = {f'm{i}_imports' if imports else 'NULL'}",
        f".exports = {f'm{i}_exports' if exports else 'NULL'}",
        f".nfuncs = {meta['nfuncs']}", f".nimported_funcs = {meta['nimported_funcs']}",
        f".nglobals = {meta['nglobals']}", f".nimported_globals = {meta['nimported_globals']}",
        f".ntables = {meta['ntables']}", f".nimported_tables = {meta['nimported_tables']}",
        f".tables = {f'm{i}_tables' if meta['tables'] else 'NULL'}",
        f".nmemories = {nimported_memories + len(memories)}",
        f".nimported_memories = {nimported_memories}",
        f".memories = {f'm{i}_memories' if memories else 'NULL'}",
        f".vm_globals = {vm['globals']}", f".vm_funcs = {vm['funcs']}",
        f".vm_tables = {vm['tables']}", f".vm_memories = {vm['memories']}",
        f".vm_funcrefs = {vm['funcrefs']}",
        f".ntags = {meta.get('ntags', 0)}", f".nimported_tags = {meta.get('nimported_tags', 0)}",
        f".vm_tags = {vm.get('tags', vm['dropped'])}",
        f".vm_dropped = {vm['dropped']}", f".vm_size = {vm['size']}",
        f".init = {meta['init']}", f".start = {meta['start'] or '0'}",
    ]
    out.append(f"static const struct osb_module m{i} = {{\n  " + ",\n  ".join(fields) + "\n};")


def manifest_c(metas: list[dict[str, Any]], programs: list[dict[str, Any]] | None = None) -> str:
    """The C source of the manifest; ``programs`` (an image of several programs, host/programs.py)
    goes into the image as the `.osbuild.programs` section, for `osbuild run IMAGE`."""
    out = ["/* Generated by osbuild.boot.manifest: do not edit. */", '#include "manifest.h"', ""]
    symbols: set[str] = set()
    for meta in metas:
        p = meta["prefix"]
        symbols.add(meta["init"])
        symbols.update(e["shim"] for e in meta["exports"] if e["kind"] == "func")
        if meta["start"]:
            symbols.add(meta["start"])
        symbols.update(f"{p}_imp{imp['index']}" for imp in meta["imports"]
                       if imp["kind"] == "func")
    out.extend(f"extern void {s}(void);" for s in sorted(symbols))
    for i, meta in enumerate(metas):
        module_entry(i, meta, out)
    refs = ", ".join(f"&m{i}" for i in range(len(metas))) or "0"
    out.append(f"const struct osb_module *const osb_modules[] = {{{refs}}};")
    out.append(f"const u32 osb_nmodules = {len(metas)};")
    blob = json.dumps(metas, separators=(",", ":")).encode()
    out.append('__attribute__((section(".osbuild.meta"), used))')
    out.append(f"static const char osbuild_meta[] = {c_bytes(blob)};")
    if programs is not None:
        blob = json.dumps(programs, separators=(",", ":")).encode()
        out.append('__attribute__((section(".osbuild.programs"), used))')
        out.append(f"static const char osbuild_programs[] = {c_bytes(blob)};")
    return "\n".join(out) + "\n"
