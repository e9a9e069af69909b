"""Compilation units: one object per wasm function, plus one module-level object.

A unit is compiled in any process from the module bytes alone (``UnitCompiler``): the module is
decoded without its function bodies, and a unit decodes only the body it translates, so no
process ever holds the whole module's instructions or IR (jit/pool.py runs units in workers).

Every unit is compiled under a placeholder symbol prefix and cached by what its code depends
on (``unit_key``), so that an edit of one function recompiles that function only; the real
prefix (a hash of the whole module) is written into the symbol names when the units are
linked into the module's object (``rename_prefix``, ``link``).
"""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
from collections.abc import Iterable
from pathlib import Path

from osbuild import cache
from osbuild.errors import UserError
from osbuild.tmpdirs import private_dir

from .decode import decode, decode_body
from .wasmtypes import Module

# Same length as a real prefix ("w" + 12 hex digits) so that renaming is a byte substitution;
# upper case, so that it is never a real prefix.
PLACEHOLDER = "wUNITPREFIXXX"

# Sections the translator reads besides the body (decode.py section ids): types, imports,
# function types, tables, memories, globals, elements, data count. Exports, start, names and
# the code of other functions do not shape a function's code.
CONTEXT_SECTIONS = (1, 2, 3, 4, 5, 6, 9, 12)
MEMORY_INIT = b"\xfc\x08"  # memory.init bakes a data segment's bytes into the unit


def context_digest(data: bytes, wasm: Module) -> tuple[str, str]:
    """Digests of what every unit depends on: (the context sections and the number of data
    segments, the data section). Conservative: any change there recompiles every unit."""
    h = hashlib.sha256()
    for sid in CONTEXT_SECTIONS:
        start, end = wasm.sections.get(sid, (0, 0))
        h.update(b"%d:%d:" % (sid, end - start))
        h.update(data[start:end])
    h.update(b"datas:%d" % len(wasm.datas))
    start, end = wasm.sections.get(11, (0, 0))
    return h.hexdigest(), hashlib.sha256(data[start:end]).hexdigest()


def unit_key(context: tuple[str, str], body: bytes, index: int, options: str,
             fingerprint: str) -> str:
    """The cache key of function ``index``'s unit: its body, its index (its own and its
    callees' symbols are named by index), the module context, the options and the compiler.
    A body that may contain memory.init also depends on the data segments' bytes."""
    data_part = context[1] if MEMORY_INIT in body else "-"
    return cache.make_key(body, f"f{index}", context[0], data_part, options, fingerprint)


def options_text(fuel: bool, tier: str) -> str:
    return f"fuel={fuel} tier={tier}"


class UnitCompiler:
    """Compiles units of one module in this process (a pool worker, or the main process)."""

    def __init__(self, data: bytes, fuel: bool, tier: str) -> None:
        self.data = data
        self.wasm = decode(data, bodies=False)
        self.fuel = fuel
        self.tier = tier

    def _env(self):  # noqa: ANN202 - ModuleEnv imports llvmlite; keep it out of the header
        from .env import ModuleEnv

        return ModuleEnv(self.wasm, PLACEHOLDER, fuel=self.fuel)

    def function_object(self, index: int) -> bytes:
        """The object of wasm function ``index`` (imports first in the index space)."""
        from .module import emit_function

        start, end = self.wasm.body_spans[index - self.wasm.num_imported_funcs]
        env = self._env()
        emit_function(env, index, decode_body(self.data, start, end))
        obj, _ = env.emit_object(self.tier, with_ir=False)
        return obj

    def module_object(self) -> tuple[bytes, dict[str, object]]:
        """The module-level unit (thunks, shims, P_init) and the symbols the manifest needs,
        still named with the placeholder prefix."""
        from .module import emit_module_level

        env = self._env()
        symbols = emit_module_level(env)
        obj, _ = env.emit_object(self.tier, with_ir=False)
        return obj, symbols


# --- linking ----------------------------------------------------------------------------------

SHT_SYMTAB = 2
SHT_STRTAB = 3


def rename_prefix(obj: bytes, old: str, new: str) -> bytes:
    """``obj`` with the symbol prefix ``old`` replaced by ``new`` (same length) in its string
    tables (symbol names) and .debug_str (DWARF names). Code and data are never touched."""
    if len(old) != len(new):
        raise ValueError("prefixes must have the same length")
    buf = bytearray(obj)
    shoff, = struct.unpack_from("<Q", buf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", buf, 0x3A)
    names_off = struct.unpack_from("<Q", buf, shoff + shstrndx * shentsize + 0x18)[0]
    for i in range(shnum):
        hdr = shoff + i * shentsize
        name_idx, sh_type = struct.unpack_from("<II", buf, hdr)
        offset, size = struct.unpack_from("<QQ", buf, hdr + 0x18)
        name_end = buf.index(b"\0", names_off + name_idx)
        name = bytes(buf[names_off + name_idx:name_end])
        if sh_type == SHT_STRTAB or name == b".debug_str":
            buf[offset:offset + size] = bytes(buf[offset:offset + size]).replace(
                old.encode(), new.encode())
    return bytes(buf)


def undefined_symbols(obj: bytes) -> set[str]:
    """Names of the undefined symbols of an ELF64 object (read with struct: pyelftools took
    a second for QuickJS's 28,000 symbols)."""
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", obj, 0x3A)
    out: set[str] = set()
    for i in range(shnum):
        hdr = shoff + i * shentsize
        sh_type, = struct.unpack_from("<I", obj, hdr + 4)
        if sh_type != SHT_SYMTAB:
            continue
        offset, size, link_index = struct.unpack_from("<QQI", obj, hdr + 0x18)
        str_off, = struct.unpack_from("<Q", obj, shoff + link_index * shentsize + 0x18)
        for name, _info, _other, shndx, _value, _size in struct.iter_unpack(
                "<IBBHQQ", obj[offset:offset + size]):
            if shndx == 0 and name:
                out.add(obj[str_off + name:obj.index(b"\0", str_off + name)].decode())
    return out


def link(objects: Iterable[Path], prefix: str, out: Path) -> None:
    """Link the units (named with the placeholder prefix) into one relocatable object
    (``ld.lld -r``) at ``out``, then write the module's ``prefix`` into its names: one
    rename of the result instead of a renamed copy of every unit."""
    from osbuild.boot.kernel import failure, tool

    with private_dir("units") as tmp:
        work = Path(tmp)
        (work / "units.rsp").write_text("".join(f"{p.resolve()}\n" for p in objects))
        linked = work / "linked.o"
        args = [tool("ld.lld", "lld"), "-r", "-m", "elf64lriscv", "--no-relax",
                "-o", str(linked), "@units.rsp"]
        proc = subprocess.run(args, cwd=work, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise UserError("linking the module's units failed: "
                            f"{failure(proc, 'ld.lld', out.parent)}")
        out.write_bytes(rename_prefix(linked.read_bytes(), PLACEHOLDER, prefix))


def default_jobs() -> int:
    return os.cpu_count() or 1
