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
import io
import mmap
import os
import struct
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from osbuild import cache
from osbuild.errors import UserError
from osbuild.tmpdirs import private_dir

from .decode import decode, decode_body
from .inline import body_source, inline_callees
from .wasmtypes import Module

if TYPE_CHECKING:
    from .module import Part

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
             fingerprint: str, inlined: bytes = b"") -> str:
    """The cache key of function ``index``'s unit: its body, its index (its own and its
    callees' symbols are named by index), the module context, the options and the compiler,
    and the bodies it may inline (`inline_key`). A body that may contain memory.init also
    depends on the data segments' bytes (an inlined leaf has none: a prefixed instruction)."""
    data_part = context[1] if MEMORY_INIT in body else "-"
    return cache.make_key(body, f"f{index}", context[0], data_part, options, fingerprint,
                          inlined)


def inlines(fuel: bool, tier: str) -> bool:
    """Whether units inline small leaves (jit/inline.py): optimized code without fuel (a
    fuel-metered copy would need its own accounting for little gain)."""
    return tier == "opt" and not fuel


def inline_key(data: bytes | mmap.mmap, wasm: Module, start: int, end: int) -> bytes:
    """What a unit of the body at [start, end) depends on beyond it when it may inline: the
    bodies of its small direct callees (jit/inline.py), each with its index."""
    parts = []
    for i in inline_callees(wasm, decode_body(data, start, end).code):
        a, b = wasm.body_spans[i - wasm.num_imported_funcs]
        parts.append(b"%d:%d:" % (i, b - a) + bytes(data[a:b]))
    return b"".join(parts)


def options_text(fuel: bool, tier: str) -> str:
    return f"fuel={fuel} tier={tier}"


class UnitCompiler:
    """Compiles units of one module in this process (a pool worker, or the main process)."""

    def __init__(self, data: bytes | mmap.mmap, fuel: bool, tier: str) -> None:
        self.data = data  # a worker's is the module file mapped (jit/pool.py)
        self.wasm = decode(data, bodies=False)
        self.fuel = fuel
        self.tier = tier
        self._parts: list[Part] | None = None

    def _env(self):  # noqa: ANN202 - ModuleEnv imports llvmlite; keep it out of the header
        from .env import ModuleEnv

        env = ModuleEnv(self.wasm, PLACEHOLDER, fuel=self.fuel)
        if inlines(self.fuel, self.tier):
            env.inline_source = body_source(self.wasm, lambda a, b: decode_body(self.data, a, b))
        return env

    def function_object(self, index: int) -> bytes:
        """The object of wasm function ``index`` (imports first in the index space)."""
        from .module import emit_function

        start, end = self.wasm.body_spans[index - self.wasm.num_imported_funcs]
        env = self._env()
        emit_function(env, index, decode_body(self.data, start, end))
        obj, _ = env.emit_object(self.tier, with_ir=False)
        return obj

    def level_parts(self) -> list[Part]:
        """The parts of the module-level unit (thunks, shims, P_init), each its own object
        (jit/module.py `module_level_parts`), so that no process builds the IR of a large
        module's whole initialisation at once."""
        from .module import module_level_parts

        if self._parts is None:
            self._parts = module_level_parts(self._env())
        return self._parts

    def part_object(self, k: int) -> bytes:
        """The object of part ``k`` of the module-level unit."""
        from .module import emit_part

        env = self._env()
        emit_part(env, self.level_parts()[k])
        obj, _ = env.emit_object(self.tier, with_ir=False)
        return obj

    def level_symbols(self) -> dict[str, object]:
        """The module-level symbols the manifest needs (named with the placeholder prefix)."""
        from .module import level_symbols

        return level_symbols(self.wasm, PLACEHOLDER, self.fuel)


# --- linking ----------------------------------------------------------------------------------

SHT_SYMTAB = 2
SHT_STRTAB = 3

# Units per first-level `ld.lld -r` (see `link`).
LINK_GROUP = 1024


def _sections(f: BinaryIO) -> list[tuple[bytes, int, int, int, int]]:
    """(name, type, offset, size, link) of each section of the ELF64 object open as ``f``,
    read from its section headers alone."""
    f.seek(0x28)
    shoff, = struct.unpack("<Q", f.read(8))
    f.seek(0x3A)
    shentsize, shnum, shstrndx = struct.unpack("<HHH", f.read(6))
    f.seek(shoff)
    table = f.read(shentsize * shnum)
    headers = [struct.unpack_from("<II8x8xQQI", table, i * shentsize) for i in range(shnum)]
    _, _, names_off, names_size, _ = headers[shstrndx]
    f.seek(names_off)
    names = f.read(names_size)
    return [(names[n:names.index(b"\0", n)], t, off, size, lnk)
            for n, t, off, size, lnk in headers]


def rename_prefix_in(f: BinaryIO, old: str, new: str) -> None:
    """Replace the symbol prefix ``old`` by ``new`` (same length) in the string tables (symbol
    names) and .debug_str (DWARF names) of the object open read-write as ``f``, in place:
    only those sections are read and written, never code or data, so that renaming a module
    object of hundreds of megabytes holds no copy of it."""
    if len(old) != len(new):
        raise ValueError("prefixes must have the same length")
    for name, sh_type, offset, size, _ in _sections(f):
        if sh_type == SHT_STRTAB or name == b".debug_str":
            f.seek(offset)
            text = f.read(size)
            renamed = text.replace(old.encode(), new.encode())
            if renamed != text:
                f.seek(offset)
                f.write(renamed)


def rename_prefix(obj: bytes, old: str, new: str) -> bytes:
    """``obj`` with the symbol prefix ``old`` replaced by ``new`` (`rename_prefix_in`)."""
    f = io.BytesIO(obj)
    rename_prefix_in(f, old, new)
    return f.getvalue()


def undefined_symbols_in(f: BinaryIO) -> set[str]:
    """Names of the undefined symbols of the ELF64 object open as ``f``, reading only its
    symbol and string tables (with struct: pyelftools took a second for QuickJS's 28,000
    symbols)."""
    sections = _sections(f)
    out: set[str] = set()
    for _, sh_type, offset, size, link_index in sections:
        if sh_type != SHT_SYMTAB:
            continue
        f.seek(offset)
        symtab = f.read(size)
        _, _, str_off, str_size, _ = sections[link_index]
        f.seek(str_off)
        strtab = f.read(str_size)
        for name, _info, _other, shndx, _value, _size in struct.iter_unpack("<IBBHQQ", symtab):
            if shndx == 0 and name:
                out.add(strtab[name:strtab.index(b"\0", name)].decode())
    return out


def undefined_symbols(obj: bytes | Path) -> set[str]:
    """Names of the undefined symbols of an ELF64 object (bytes, or a file read in part)."""
    if isinstance(obj, Path):
        with obj.open("rb") as f:
            return undefined_symbols_in(f)
    return undefined_symbols_in(io.BytesIO(obj))


def _link_r(objects: Sequence[Path], out: Path, work: Path, rsp: str) -> None:
    """``ld.lld -r`` of ``objects`` into ``out`` (their paths in a response file)."""
    from osbuild.boot.kernel import failure, tool, tool_env

    (work / rsp).write_text("".join(f"{p.resolve()}\n" for p in objects))
    args = [tool("ld.lld", "lld"), "-r", "-m", "elf64lriscv", "--no-relax",
            "-o", str(out.resolve()), f"@{rsp}"]
    proc = subprocess.run(args, cwd=work, capture_output=True, text=True, check=False,
                          env=tool_env(work))
    if proc.returncode != 0:
        raise UserError("linking the module's units failed: "
                        f"{failure(proc, 'ld.lld', out.parent)}")


def link(objects: Iterable[Path], prefix: str, out: Path) -> None:
    """Link the units (named with the placeholder prefix) into one relocatable object
    (``ld.lld -r``) at ``out``, then write the module's ``prefix`` into its names: one
    rename of the result instead of a renamed copy of every unit.

    More than LINK_GROUP units are linked in two levels (groups of LINK_GROUP units, then the
    groups): ld.lld keeps a structure per input section, and a unit has about ten sections,
    so one link of 54,000 units took over a gigabyte where the groups' objects, whose
    sections are already merged, take about what the output weighs."""
    objects = list(objects)
    with private_dir("units") as tmp:
        work = Path(tmp)
        if len(objects) > LINK_GROUP:
            groups = []
            for k in range(0, len(objects), LINK_GROUP):
                groups.append(work / f"group{k // LINK_GROUP}.o")
                _link_r(objects[k:k + LINK_GROUP], groups[-1], work, "group.rsp")
            objects = groups
        _link_r(objects, out, work, "units.rsp")
    with out.open("r+b") as f:
        rename_prefix_in(f, PLACEHOLDER, prefix)


def default_jobs() -> int:
    return os.cpu_count() or 1
