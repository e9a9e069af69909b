"""Trap reports: the guest's T frame turned into what `wasmtime run` prints, with each frame
symbolized from the image's symbols (pyelftools) and the module's name section."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elftools.elf.elffile import ELFFile

from osbuild.abi import trap_message as trap_message  # the messages live in guest/abi.def

MAX_FRAMES = 64  # guest/trap.c walks this many return addresses
FUNC_SYMBOL = re.compile(r"^(w[0-9a-f]{12})_(f|imp|x)(\d+)$")


@dataclass
class Trap:
    code: int
    pc: int
    addr: int | None
    frames: list[int]

    @classmethod
    def parse(cls, payload: bytes) -> Trap:
        lines = payload.decode(errors="replace").splitlines()
        _, code, pc, addr = lines[0].split()
        frames = [int(ln.split()[1], 16) for ln in lines[1:] if ln.startswith("frame ")]
        return cls(int(code), int(pc, 16), None if addr == "-" else int(addr, 16), frames)

    @property
    def message(self) -> str:
        return trap_message(self.code)


class Symbolizer:
    """Maps guest code addresses to `module!function+0xOFF` using the image alone."""

    def __init__(self, image: Path) -> None:
        self.starts: list[int] = []
        self.names: list[tuple[str, int, int]] = []  # (symbol, start, size)
        self.modules: dict[str, dict[str, Any]] = {}
        self.line_addrs: list[int] = []
        self.lines: list[tuple[int, int | None]] = []
        with open(image, "rb") as f:
            elf = ELFFile(f)
            meta = elf.get_section_by_name(".osbuild.meta")
            if meta is not None:
                for m in json.loads(meta.data().rstrip(b"\0")):
                    self.modules[m["prefix"]] = m
            self._read_lines(elf)
            symtab = elf.get_section_by_name(".symtab")
            syms = sorted((s["st_value"], s.name, s["st_size"])
                          for s in symtab.iter_symbols()  # type: ignore[union-attr]
                          if s["st_info"]["type"] == "STT_FUNC")
        for value, name, size in syms:
            self.starts.append(value)
            self.names.append((name, value, size))

    def wasm_offset(self, pc: int) -> int | None:
        """The wasm code offset of the instruction at pc, from the DWARF line table the
        compiler emits (line number = wasm offset)."""
        i = bisect.bisect_right(self.line_addrs, pc) - 1
        if i < 0 or self.lines[i][1] is None:
            return None
        return self.lines[i][1]

    def _read_lines(self, elf: ELFFile) -> None:
        rows: list[tuple[int, int | None]] = []
        if elf.has_dwarf_info():
            dwarf = elf.get_dwarf_info()
            for cu in dwarf.iter_CUs():
                program = dwarf.line_program_for_CU(cu)
                if program is None:
                    continue
                for entry in program.get_entries():
                    st = entry.state
                    if st is None:
                        continue
                    rows.append((st.address, None if st.end_sequence else st.line))
        rows.sort(key=lambda row: row[0])
        self.line_addrs = [a for a, _ in rows]
        self.lines = rows

    def lookup(self, pc: int) -> tuple[str, int] | None:
        i = bisect.bisect_right(self.starts, pc) - 1
        if i < 0:
            return None
        name, start, size = self.names[i]
        if size and pc >= start + size:
            return None
        return name, pc - start

    def describe(self, pc: int) -> tuple[str, bool]:
        """(text, is_wasm) for one frame address."""
        hit = self.lookup(pc)
        if hit is None:
            return f"{pc:#x}", False
        name, off = hit
        m = FUNC_SYMBOL.match(name)
        if not m:
            return f"{name}+{off:#x}", False
        meta = self.modules.get(m.group(1), {})
        module = meta.get("name", m.group(1))
        index = m.group(3)
        func = meta.get("func_names", {}).get(index, f"<wasm function {index}>")
        if m.group(2) != "f":
            return f"{module}!{func}", False
        offset = self.wasm_offset(pc)
        where = f"{offset:#x}" if offset is not None else f"native+{off:#x}"
        return f"{where:>8} - {module}!{func}", True


def format_trap(trap: Trap, image: Path, module_path: str, what: str) -> str:
    """The report `osbuild run` prints on stderr, in the shape of wasmtime's."""
    sym = Symbolizer(image)
    lines = [f"Error: failed to run main module `{module_path}`", "", "Caused by:",
             f"    0: failed to invoke {what}",
             "    1: error while executing at wasm backtrace:"]
    n = 0
    for k, pc in enumerate(trap.frames):
        # Frames after the first are return addresses: look up the call before them.
        text, is_wasm = sym.describe(pc if k == 0 else pc - 1)
        if is_wasm:
            lines.append(f"           {n:>2}: {text}")
            n += 1
    if len(trap.frames) > MAX_FRAMES:
        lines.append("           ...: (deeper frames not shown)")
    if n == 0:
        lines.append(f"           {0:>2}: {sym.describe(trap.pc)[0]}")
    message = trap.message
    if trap.addr is not None and trap.code == 4:
        message += f" (wasm address {trap.addr:#x})"
    lines.append(f"    2: wasm trap: {message}")
    return "\n".join(lines)


def image_metadata(image: Path) -> list[dict[str, Any]]:
    """The ModuleMeta list embedded in an image (empty if the image has none)."""
    with open(image, "rb") as f:
        sec = ELFFile(f).get_section_by_name(".osbuild.meta")
        return json.loads(sec.data().rstrip(b"\0")) if sec is not None else []
