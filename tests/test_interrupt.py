"""Asynchronous interruption: compiled code polls nothing, the kernel raises "interrupt" at the
interrupted pc (guest/trap.c). Where it may do so is decided by guest/frame.h, checked here
over every instruction of compiled programs against LLVM's call frame information, and end to
end: interrupts landing anywhere in a call-heavy loop report the whole wasm call stack."""

from __future__ import annotations

import ctypes
import re
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, osbuild
from elftools.elf.elffile import ELFFile

from osbuild.host.image import Image
from osbuild.host.traps import FUNC_SYMBOL, Symbolizer

pytestmark = pytest.mark.qemu

# A loop whose time goes to small functions (prologues and epilogues are a large share of
# it) and to a host call (the deadline passes in the kernel, delivery waits for wasm code).
CALLS = """
(module $calls
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)  ;; WASI calls need it, as in wasmtime
  (global $g (mut i32) (i32.const 0))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $mid (param i32) (result i32) (call $leaf (call $leaf (local.get 0))))
  (func $spin (export "spin")
    (loop $l
      (global.set $g (call $mid (global.get $g)))
      (drop (call $yield))
      (br $l))))
"""
PROGRAMS = [EXAMPLES / "wasi" / "cat.wasm", EXAMPLES / "wasi" / "httpd.wasm",
            EXAMPLES / "traps.wat"]


def frame_ready_lib(tmp: Path) -> ctypes.CDLL:
    """guest/frame.h compiled for this host: the kernel's own decision function."""
    src = tmp / "frame.c"
    src.write_text("typedef unsigned short u16;\ntypedef unsigned int u32;\n"
                   f'#include "{ROOT / "guest" / "frame.h"}"\n'
                   "int ready(const u16 *pc, const u16 *end) { return frame_ready(pc, end); }\n")
    lib = tmp / "frame.so"
    subprocess.run(["clang", "-shared", "-fPIC", "-O1", "-Wall", "-Werror", str(src), "-o",
                    str(lib)], check=True)
    dll = ctypes.CDLL(str(lib))
    dll.ready.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    return dll


def s0_reloads(image: Path) -> dict[int, int]:
    """pc of each `ld s0, N(sp)` -> the pc of the `ret` after it (llvm-objdump's decoding, not
    frame.h's)."""
    text = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", str(image)],
                          capture_output=True, text=True, check=True).stdout
    out: dict[int, int] = {}
    pending: list[int] = []
    for m in re.finditer(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", text, re.M):
        pc, op, args = int(m.group(1), 16), m.group(2), m.group(3).replace(" ", "")
        if op in ("ld", "c.ldsp") and args.startswith("s0,") and args.endswith("(sp)"):
            pending.append(pc)
        elif op == "ret" or (op == "jalr" and args in ("zero,0(ra)", "ra")):
            for p in pending:
                out[p] = pc
            pending = []
    return out


def ra_s0_users(image: Path) -> list[int]:
    """The pcs of instructions that name ra or s0 (llvm-objdump's decoding), `ret` apart."""
    text = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", str(image)],
                          capture_output=True, text=True, check=True).stdout
    return [int(m.group(1), 16)
            for m in re.finditer(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", text, re.M)
            if m.group(2) != "ret" and re.search(r"\b(ra|s0|fp)\b", m.group(3))]


def check_image(elf_path: Path, dll: ctypes.CDLL) -> tuple[int, int, int]:
    """Every pc of every wasm function: frame.h says ready exactly where the frame-pointer walk
    is right (CFA = s0 by the CFI, or an epilogue that has not yet reloaded s0), and the trap
    report maps it to a wasm offset inside the function's body; a frameless leaf (the image's
    leaf range) is ready everywhere, and neither its code nor its CFI touches ra or s0; a pc
    of inlined code (jit/inline.py) maps to the call in the function's body and, as its first
    frame, to an offset in the inlined function's body. Returns the pcs checked, the
    frameless leaves among the functions and the pcs of inlined code."""
    data = elf_path.read_bytes()
    elf = ELFFile(open(elf_path, "rb"))  # noqa: SIM115 (closed with the test process)
    text = elf.get_section_by_name(".user_text")
    base, code = text["sh_addr"], text.data()
    buf = ctypes.create_string_buffer(code, len(code))
    addr0 = ctypes.addressof(buf)
    symtab = elf.get_section_by_name(".symtab")
    syms = {s.name: s for s in symtab.iter_symbols()}
    start, end = syms["__wasm_code_start"]["st_value"], syms["__wasm_code_end"]["st_value"]
    leaf_lo, leaf_hi = syms["__wasm_leaf_start"]["st_value"], syms["__wasm_leaf_end"]["st_value"]
    touching = ra_s0_users(elf_path)
    rows: list[tuple[int, int]] = []  # (pc, CFA register) from .debug_frame
    for entry in elf.get_dwarf_info().CFI_entries():
        if not hasattr(entry, "cie"):
            continue
        for row in entry.get_decoded().table:
            rows.append((row["pc"], row["cfa"].reg))
    rows.sort()
    reloads = s0_reloads(elf_path)
    image = Image(elf_path)
    sym = Symbolizer(image)
    assert image.raw.data == data
    checked = leaves = inlined_pcs = 0
    for s in syms.values():
        m = FUNC_SYMBOL.match(s.name)
        if not m or m.group(2) != "f":
            continue
        lo, size = s["st_value"], s["st_size"]
        assert start <= lo and lo + size <= end, f"{s.name} outside the wasm code range"
        meta = image.modules[m.group(1)]
        k = int(m.group(3)) - meta["nimported_funcs"]
        offsets = meta["code_offsets"]
        body_end = offsets[k + 1] if k + 1 < len(offsets) else 1 << 32
        fn_rows = [r for r in rows if lo <= r[0] < lo + size]
        frameless = leaf_lo <= lo < leaf_hi
        if frameless:  # the kernel walks from ra and s0 at every pc: nothing may touch them
            assert lo + size <= leaf_hi and all(r[1] == 2 for r in fn_rows), s.name
            assert not [p for p in touching if lo <= p < lo + size], \
                f"{s.name} (frameless) writes or reads ra or s0"
        leaves += frameless
        pc = lo
        while pc < lo + size:
            cfa = max((r for r in fn_rows if r[0] <= pc), default=(lo, 2))[1]
            after_body = any(r[1] == 8 for r in fn_rows if r[0] <= pc)
            pending_reload = any(p >= pc and reloads[p] > pc for p in reloads
                                 if lo <= p < lo + size)
            truth = cfa == 8 or (after_body and pending_reload)
            if not frameless:  # (a frameless leaf's pcs are all interrupt points: above)
                got = dll.ready(addr0 + pc - base, addr0 + end - base)
                assert bool(got) == truth, f"{s.name}+{pc - lo:#x}: frame.h {got}, CFI {truth}"
            off = sym.wasm_offset(pc)
            assert off is not None and offsets[k] < off < body_end, \
                f"{s.name}+{pc - lo:#x} maps to {off}"
            inlined = image.inlined_at(pc)
            if inlined is not None:  # jit/inline.py: the inlined function's frame comes first
                callee = FUNC_SYMBOL.match(inlined[0])
                assert callee is not None and callee.group(1) == m.group(1), inlined
                c = int(callee.group(3)) - meta["nimported_funcs"]
                c_end = offsets[c + 1] if c + 1 < len(offsets) else 1 << 32
                inner = int(sym.frames(pc)[0][0].split()[0], 16)
                assert offsets[c] < inner < c_end, f"{s.name}+{pc - lo:#x} inlined at {inner}"
                inlined_pcs += 1
            checked += 1
            pc += 2 if code[pc - base] & 3 != 3 else 4
    return checked, leaves, inlined_pcs


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_frame_ready_matches_the_call_frame_information(tier: str, tmp_path: Path) -> None:
    dll = frame_ready_lib(tmp_path)
    calls = tmp_path / "calls.wat"
    calls.write_text(CALLS)
    total = leaves = inlined = 0
    for prog in [*PROGRAMS, calls]:
        out = tmp_path / f"{prog.stem}.elf"
        osbuild("image", *(["--opt"] if tier == "opt" else []), prog, "-o", out, timeout=600)
        checked, frameless, in_inlined = check_image(out, dll)
        total, leaves, inlined = total + checked, leaves + frameless, inlined + in_inlined
    assert total > 10000
    assert leaves > 0  # frameless leaves were among them (calls.wat's $leaf at least)
    assert (inlined > 0) == (tier == "opt")  # the opt tier inlines calls.wat's $leaf


@pytest.mark.parametrize("tier", ["fast", "opt"])
def test_interrupt_reports_every_frame(tier: str, tmp_path: Path) -> None:
    """Wherever the interrupt lands (in leaf, mid or spin, in a prologue, an epilogue, the
    import thunk or the kernel), the backtrace is a complete wasm call stack."""
    calls = tmp_path / "calls.wat"
    calls.write_text(CALLS)
    opt = ["--opt"] if tier == "opt" else []
    seen = set()
    for timeout in ("0.3", "0.41", "0.53", "0.67"):
        r = osbuild("run", *opt, "--timeout", timeout, "--invoke", "spin", calls)
        assert r.returncode == 134, r.stderr
        assert r.stderr.rstrip().endswith("wasm trap: interrupt"), r.stderr
        frames = re.findall(r"^\s+\d+:\s+0x[0-9a-f]+ - calls!(\w+)$", r.stderr, re.M)
        assert frames in (["leaf", "mid", "spin"], ["mid", "spin"], ["spin"]), r.stderr
        seen.add(frames[0])
    assert seen  # where it landed varies; every landing was a complete stack
