"""Trap reports: the guest's T frame turned into what `wasmtime run` prints, with each frame
symbolized from the image's symbols (pyelftools) and the module's name section."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from osbuild.abi import TRAPS
from osbuild.abi import trap_message as trap_message  # the messages live in guest/abi.def

if TYPE_CHECKING:
    from .answers import TrapReport
    from .image import Image

MAX_FRAMES = 64  # guest/trap.c walks this many return addresses
# traps whose report names the wasm address the access wanted
ADDRESS_TRAPS = {TRAPS["OOB_MEMORY"].code, TRAPS["OUT_OF_MEMORY"].code}
FUNC_SYMBOL = re.compile(r"^(w[0-9a-f]{12})_(f|imp|x)(\d+)$")


class Symbolizer:
    """Maps guest code addresses to `module!function+0xOFF` using the image alone."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self.modules = image.modules
        self.starts = [start for start, _, _ in image.functions]
        self.line_addrs = [addr for addr, _ in image.line_table]

    def wasm_offset(self, pc: int) -> int | None:
        """The wasm code offset of the instruction at pc, from the DWARF line table the
        compiler emits: a line is the offset from the start of the function's body, which
        the module's ``code_offsets`` give (so a function's code does not depend on where
        it lies in the module, jit/units.py)."""
        i = bisect.bisect_right(self.line_addrs, pc) - 1
        if i < 0:
            return None
        line = self.image.line_table[i][1]
        hit = self.lookup(pc)
        m = FUNC_SYMBOL.match(hit[0]) if hit is not None else None
        if line is None or m is None or m.group(2) != "f":
            return None
        if line == 0:
            line = self.nearest_line(i, pc - hit[1], self.function_end(pc))  # type: ignore[index]
            if line is None:
                return None
        meta = self.modules.get(m.group(1), {})
        offsets = meta.get("code_offsets", [])
        k = int(m.group(3)) - meta.get("nimported_funcs", 0)
        return line + offsets[k] if 0 <= k < len(offsets) else None

    def function_end(self, pc: int) -> int:
        start, _, size = self.image.functions[bisect.bisect_right(self.starts, pc) - 1]
        return start + size

    def nearest_line(self, i: int, start: int, end: int) -> int | None:
        """The wasm offset for row ``i`` of the line table, which has line 0: LLVM gives an
        instruction no line when it merged or hoisted code from several wasm instructions.
        A trap can land there only asynchronously ("interrupt", guest/trap.c): name the
        nearest wasm instruction before it in the same function (the code it follows), else
        the first after it."""
        rows = self.image.line_table
        for j in range(i - 1, -1, -1):
            addr, line = rows[j]
            if addr < start or line is None:
                break
            if line:
                return line
        for j in range(i + 1, len(rows)):
            addr, line = rows[j]
            if addr >= end or line is None:
                break
            if line:
                return line
        return None

    def lookup(self, pc: int) -> tuple[str, int] | None:
        i = bisect.bisect_right(self.starts, pc) - 1
        if i < 0:
            return None
        start, name, size = self.image.functions[i]
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
        module = printable(meta.get("name", m.group(1)))
        index = m.group(3)
        func = printable(meta.get("func_names", {}).get(index, f"<wasm function {index}>"))
        if m.group(2) != "f":
            return f"{module}!{func}", False
        offset = self.wasm_offset(pc)
        where = f"{offset:#x}" if offset is not None else f"native+{off:#x}"
        return f"{where:>8} - {module}!{func}", True


def printable(name: str) -> str:
    """A name from the module's name section as it may be printed on a terminal: control
    characters (escape sequences, newlines) and other unprintable ones as \\xNN / \\uNNNN,
    so a module cannot forge lines of the report or drive the terminal."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in name)


def format_trap(trap: TrapReport, image: Image, module_path: str, what: str) -> str:
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
    if trap.addr is not None and trap.code in ADDRESS_TRAPS:
        message += f" (wasm address {trap.addr:#x})"
    # wasmtime reports a WASI call without a memory export as a host error, and an exception
    # no handler caught as such, neither as a wasm trap.
    plain = (TRAPS["NO_MEMORY_EXPORT"].code, TRAPS["UNCAUGHT_EXCEPTION"].code)
    kind = "" if trap.code in plain else "wasm trap: "
    lines.append(f"    2: {kind}{message}")
    return "\n".join(lines)
