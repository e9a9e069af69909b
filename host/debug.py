"""`osbuild debug`: a debugging session on a live guest, as a Python API (`Session`) that the
REPL (host/repl.py) and tests drive.

The session owns QEMU (a `Machine`), started paused with a QMP socket and a gdbstub socket.
Run control, breakpoints, registers and memory go through the gdbstub (host/gdb.py);
snapshots through QMP (`savevm`/`loadvm` into a scratch qcow2 image). Everything is shown in
wasm terms with the image's symbols, the compiler's DWARF line table (wasm offsets) and the
kernel's `osb_debug` table of instances (guest/debug.h).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from osbuild.abi import ABI, CODE_NAMES, DEBUG_STATES, STRUCTS, VMCTX
from osbuild.errors import UserError
from osbuild.tmpdirs import private_path, release

from . import proctable, values
from .answers import Results, TrapReport, parse_answer
from .console import Console
from .gdb import GdbClient, GdbError
from .image import Image
from .machine import Machine
from .protocol import ANSWERS, Script
from .traps import Symbolizer, trap_message

# The layout of the kernel's `osb_debug` table and of struct memory (guest/abi.def).
DEBUG = STRUCTS["osb_debug"]
INSTANCE = STRUCTS["osb_debug_instance"]
EXCEPTION = STRUCTS["osb_debug_exception"]
MAX_EXCEPTIONS = DEBUG.fields["exceptions"].count
MEMORY_PAGES = STRUCTS["memory"].offset("pages")
PAGE = 4096  # the guest's page: linear memory is mapped one page at a time, on first touch
HEADER_SIZE = DEBUG.offset("inst")  # the fields before the instance array
MAX_INSTANCES = DEBUG.fields["inst"].count
READY = ABI.debug_states["READY"][0]
SSTATUS_VS_SHIFT = 9  # sstatus.VS: 0 off, 1 initial, 2 clean, 3 dirty (the privileged spec)
VS_NAMES = ("off", "initial", "clean", "dirty")


@dataclass
class Frame:
    pc: int
    text: str
    is_wasm: bool


@dataclass
class VectorState:
    """The RVV state of the stopped program: v0..v31 (each register's bits, element 0 in the
    low bits, as a v128 holds its lanes), vl, vtype, vstart and vlenb (bytes per register)."""

    status: str  # sstatus.VS: "clean" or "dirty"
    registers: list[int]
    vl: int
    vtype: int
    vstart: int
    vlenb: int

    def vtype_text(self) -> str:
        """vtype as the assembler spells it in vsetvli: element width, LMUL, tail and mask
        policies (or `vill`)."""
        if self.vtype >> 63:
            return "vill"
        lmul = ("m1", "m2", "m4", "m8", "m?", "mf8", "mf4", "mf2")[self.vtype & 7]
        sew = 8 << (self.vtype >> 3 & 7)
        return (f"e{sew}, {lmul}, {'ta' if self.vtype >> 6 & 1 else 'tu'}, "
                f"{'ma' if self.vtype >> 7 & 1 else 'mu'}")


EXIT_FRAME_WAIT = 5.0  # seconds the exit frame may lag behind the stop at osb_debug_halt


@dataclass
class Output:
    """What the guest said so far (filled by the console thread)."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    results: list[Results] = field(default_factory=list)  # of the invoked export
    traps: list[TrapReport] = field(default_factory=list)
    exit_status: int | None = None
    panic: str | None = None
    ends: list[str] = field(default_factory=list)  # programs' E frames: "PID exit 0", ...
    # Each program's own stdout (by process id): the programs of one image share the console,
    # and each write is a frame of its own, so their lines interleave in ``stdout`` as they
    # would on a terminal (one write call may end in the middle of a line).
    stdout_of: dict[int, bytearray] = field(default_factory=dict)
    sender: int = 0  # the process whose output the console port carries now ('>' frames)

    def write_stdout(self, data: bytes) -> None:
        self.stdout.extend(data)
        self.stdout_of.setdefault(self.sender, bytearray()).extend(data)


class Session:
    """A paused guest running `script`; use as a context manager."""

    def __init__(self, image: Image | Path, script: Script, harts: int = 1) -> None:
        self.image = image if isinstance(image, Image) else Image(image)
        self.harts = harts
        self.script = Script().no_poweroff().extend(script)
        self.sym = Symbolizer(self.image)
        self.out = Output()
        self._exit_seen = threading.Event()  # the guest's 'X' frame reached _on_frame
        self.breakpoints: dict[int, tuple[str, int]] = {}  # number → (description, address)
        self._inlined_bps: dict[int, list[int]] = {}  # number → entries of inlined copies
        self._next_bp = 1
        self._machine: Machine | None = None
        self._gdb: GdbClient | None = None
        self._reader: threading.Thread | None = None
        self.running = False
        self.symbols = self.image.symbols

    # --- lifetime -----------------------------------------------------------------------

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> None:
        self._tmp = private_path("debug")
        snap = self._tmp / "snapshots.qcow2"
        qemu_img = shutil.which("qemu-img")
        if qemu_img is None:
            raise UserError("qemu-img not found: install qemu-utils")
        subprocess.run([qemu_img, "create", "-q", "-f", "qcow2", str(snap), "64M"], check=True)
        gdb_sock = self._tmp / "gdb.sock"
        self._machine = Machine(self.image.path, self.script.text(), extra_args=[
            "-gdb", f"unix:{gdb_sock},server=on,wait=off",
            "-drive", f"if=none,id=snapshots,format=qcow2,file={snap}"], harts=self.harts)
        try:
            self._machine.launch()
            self._gdb = GdbClient(str(gdb_sock))
            self._gdb.request("?")  # QEMU waits (-S) until the first `continue`
            self._halt = self.symbols["osb_debug_halt"]
            self._gdb.set_breakpoint(self._halt)  # where a finished program parks
        except Exception:
            self.close()
            raise
        console = Console(self._machine, stdout=self.out.write_stdout,
                          stderr=self.out.stderr.extend)
        self._reader = console.follow(self._on_frame)

    def close(self) -> None:
        if self._gdb is not None:
            self._gdb.close()
            self._gdb = None
        if self._machine is not None:
            self._machine.shutdown()
            self._machine = None
        if getattr(self, "_tmp", None) is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            release(self._tmp)
            self._tmp = None  # type: ignore[assignment]

    def _on_frame(self, channel: str, payload: bytes) -> None:
        """The console thread's report of each frame (program output goes to ``out``)."""
        if channel in ANSWERS:
            answer = parse_answer(channel, payload)
            if isinstance(answer, Results) and answer.values:
                self.out.results.append(answer)
            elif isinstance(answer, TrapReport):
                self.out.traps.append(answer)
        elif channel == "X":
            self.out.exit_status = int(payload)
            self._exit_seen.set()
        elif channel == "P":
            self.out.panic = payload.decode(errors="replace")
        elif channel == "E":
            self.out.ends.append(payload.decode())
        elif channel == ">":
            self.out.sender = int(payload)

    @property
    def gdb(self) -> GdbClient:
        if self._gdb is None:
            raise UserError("the session has ended")
        return self._gdb

    # --- run control --------------------------------------------------------------------

    def cont(self, timeout: float | None = 30) -> str:
        """Resume until a breakpoint, the end of the program, or `timeout` (then pause)."""
        pc = self.gdb.registers()["pc"]
        if pc == self._halt:
            return "the program has finished"
        self._resume(pc)
        try:
            reply = self.gdb.wait_stop(timeout)
        except GdbError:
            proc = self._machine.proc if self._machine is not None else None
            if proc is not None and proc.poll() is not None:
                self.running = False
                return "QEMU exited"
            reply = self.gdb.interrupt()
        self.running = False
        return self.describe_stop(reply)

    def pause(self) -> str:
        return self.describe_stop(self.gdb.interrupt()) if self.running else "paused"

    def finished(self) -> bool:
        return self.debug_header()["exited"] == 1

    def describe_stop(self, reply: str) -> str:
        pc = self.gdb.registers()["pc"]
        if pc == self._halt:
            # The guest sends its trap report and exit frame before it parks here, but the
            # console thread may not have read them yet: wait for them (in order, the exit
            # frame last), so that `out` is complete when the caller looks.
            self._exit_seen.wait(EXIT_FRAME_WAIT)
            return f"program finished with exit status {self.debug_header()['exit_status']}"
        for n, (desc, _) in self.breakpoints.items():
            if pc in self.breakpoint_addresses(n):
                return f"breakpoint {n} at {desc}"
        return f"paused at {self.where(pc)}"

    # --- breakpoints ----------------------------------------------------------------------

    def function_address(self, func: str) -> tuple[str, str, int]:
        """A wasm function by name-section name, `module!name`, or index: (description, its
        symbol, its address)."""
        module = None
        if "!" in func:
            module, func = func.split("!", 1)
        for prefix, meta in self.sym.modules.items():
            if module is not None and meta.get("name") != module:
                continue
            names = meta.get("func_names", {})
            index = next((i for i, n in names.items() if n == func), None)
            if index is None and func.isdigit():
                index = func
            if index is not None and f"{prefix}_f{index}" in self.symbols:
                name = names.get(str(index), f"<wasm function {index}>")
                symbol = f"{prefix}_f{index}"
                return f"{meta['name']}!{name}", symbol, self.symbols[symbol]
        raise UserError(f"no wasm function named {func!r}")

    def break_(self, func: str) -> int:
        """A breakpoint at the function's entry and at the entry of each copy of it that the
        opt tier inlined into a caller (jit/inline.py), as gdb does for inlined functions:
        where LLVM merged an inlined body with its caller's loop, the copy's entry may run
        once for several calls."""
        desc, symbol, addr = self.function_address(func)
        inlined = self.image.inlined_entries(symbol)
        n = self._next_bp
        self._next_bp += 1
        self.breakpoints[n] = (desc, addr)
        self._inlined_bps[n] = inlined
        for a in self.breakpoint_addresses(n):
            self.gdb.set_breakpoint(a)
        return n

    def breakpoint_addresses(self, n: int) -> list[int]:
        """Breakpoint ``n``'s addresses: the function's entry, then its inlined copies'."""
        return [self.breakpoints[n][1], *self._inlined_bps.get(n, [])]

    def delete(self, n: int) -> None:
        if n not in self.breakpoints:
            raise UserError(f"no breakpoint {n}")
        for a in self.breakpoint_addresses(n):
            self.gdb.clear_breakpoint(a)
        del self.breakpoints[n]
        self._inlined_bps.pop(n, None)

    # --- inspection -----------------------------------------------------------------------

    def where(self, pc: int) -> str:
        return self.sym.describe(pc)[0]

    def regs(self) -> dict[str, Any]:
        r = self.gdb.registers()
        return {**r, "pc_symbol": self.where(r["pc"]), "ra_symbol": self.where(r["ra"] - 1)}

    def vector_state(self) -> VectorState | None:
        """The vector registers, or None while no program has used vector state since boot
        (sstatus.VS still initial: the kernel turns the unit on at boot and never executes a
        vector instruction, ARCHITECTURE "SIMD") or on a CPU without V. The kernel saves none
        of it: it never switches between two U-mode contexts and leaves the registers alone,
        so what the CPU holds now is the stopped program's (or, once it has finished, what
        its last vector instruction left)."""
        regmap = self.gdb.register_map()
        if "v0" not in regmap or "sstatus" not in regmap:
            return None
        vs = self.gdb.read_register("sstatus") >> SSTATUS_VS_SHIFT & 3
        if vs < 2:
            return None
        read = self.gdb.read_register
        return VectorState(VS_NAMES[vs], [read(f"v{i}") for i in range(32)], read("vl"),
                           read("vtype"), read("vstart"), read("vlenb"))

    def bt(self) -> list[Frame]:
        """The wasm frames of the stopped code, innermost first (frame-pointer walk)."""
        r = self.gdb.registers()
        frames = [Frame(r["pc"], *f) for f in self.sym.frames(r["pc"])]  # inlined: two
        fp = r["s0"]
        # In a function's first instructions (a breakpoint at entry) the frame is not set up
        # yet: the caller is in ra.
        # So in a frameless leaf (jit/lower.py `frameless`, the image's leaf range), anywhere.
        hit = self.sym.lookup(r["pc"])
        lo, hi = self.image.symbol("__wasm_leaf_start"), self.image.symbol("__wasm_leaf_end")
        leaf = lo is not None and hi is not None and lo <= r["pc"] < hi
        if hit is not None and (hit[1] < 16 or leaf):
            frames.append(Frame(r["ra"], *self.sym.describe(r["ra"] - 1)))
        for _ in range(64):
            if fp < 16 or fp & 7:
                break
            try:
                ra = self.gdb.read_u64(fp - 8)
                fp = self.gdb.read_u64(fp - 16)
            except GdbError:
                break
            if ra == 0:
                break
            frames.append(Frame(ra, *self.sym.describe(ra - 1)))
        return [f for f in frames if f.is_wasm]

    def read_kernel(self, addr: int, length: int) -> bytes:
        """Kernel memory (identity-mapped, so physical): through QMP's pmemsave, because the
        gdbstub translates with the CPU's current mode and U-mode cannot see kernel pages."""
        assert self._machine is not None and self._tmp is not None
        dump = self._tmp / "pmem"
        self._machine.qmp("pmemsave", val=addr, size=length, filename=str(dump))
        return dump.read_bytes()

    def write_kernel(self, addr: int, data: bytes) -> None:
        """Kernel memory, written at its physical address (the guest is paused)."""
        self.gdb.write_physical(addr, data)

    def _resume(self, pc: int) -> None:
        """Let the guest go on from pc, stepping off a breakpoint there first (as gdb does),
        which would otherwise stop it again at once."""
        if any(pc in self.breakpoint_addresses(n) for n in self.breakpoints):
            self.gdb.clear_breakpoint(pc)
            self.gdb.step()
            self.gdb.set_breakpoint(pc)
        self.gdb.cont()
        self.running = True

    def resume_briefly(self, done: Callable[[], bool], timeout: float) -> None:
        """Let the guest run until ``done()`` (polled every 10 ms) or ``timeout`` seconds,
        then pause it where it is: the kernel serves the host's requests while it runs."""
        if self.running:
            return
        pc = self.gdb.registers()["pc"]
        if pc == self._halt:
            return
        self._resume(pc)
        end = time.monotonic() + timeout
        try:
            while not done() and time.monotonic() < end:
                time.sleep(0.01)
        finally:
            self.gdb.interrupt()
            self.running = False

    def processes(self) -> list[dict[str, Any]]:
        """The programs of an image of several (host/proctable.py)."""
        return proctable.processes(self)

    def control(self, op: str, arg: int) -> bool:
        """kill / stop / resume a program by pid, or start module ``arg`` as a new one."""
        return proctable.control(self, op, arg)

    def debug_header(self) -> dict[str, int]:
        base = self.symbols["osb_debug"]
        return DEBUG.unpack(self.read_kernel(base, HEADER_SIZE))

    def instances(self) -> list[dict[str, Any]]:
        head = self.debug_header()
        base = self.symbols["osb_debug"] + HEADER_SIZE
        metas = list(self.sym.modules.values())
        out = []
        count = min(head["ninstances"], MAX_INSTANCES)
        table = self.read_kernel(base, INSTANCE.size * count)
        for i in range(count):
            d = INSTANCE.unpack(table[INSTANCE.size * i:INSTANCE.size * (i + 1)])
            module, state, last, memory = d["module"], d["state"], d["last_trap"], d["memory"]
            pages = None
            if memory:
                try:
                    pages = self.gdb.read_u64(memory + MEMORY_PAGES)
                except GdbError:
                    pages = None
            out.append({
                "id": i, "module": metas[module]["name"] if module < len(metas) else module,
                "state": "running" if head["running"] and head["current"] == i
                else "exited" if head["exited"] and state == READY
                else DEBUG_STATES.get(state, str(state)),
                "store": d["store"], "vmctx": d["vmctx"], "memory_pages": pages,
                "last_trap": trap_message(last - 1) if last else None,
            })
        return out

    def exceptions(self) -> list[dict[str, Any]]:
        """The last exceptions thrown (at most the kernel log's 16), oldest first: where each
        was thrown and where it was caught (None: uncaught, a trap)."""
        base = self.symbols["osb_debug"]
        count = int.from_bytes(self.read_kernel(base + DEBUG.offset("nexceptions"), 8), "little")
        ring = self.read_kernel(base + DEBUG.offset("exceptions"), EXCEPTION.size * MAX_EXCEPTIONS)
        out = []
        for n in range(max(0, count - MAX_EXCEPTIONS), count):
            k = (n % MAX_EXCEPTIONS) * EXCEPTION.size
            e = EXCEPTION.unpack(ring[k:k + EXCEPTION.size])
            out.append({"number": n, "tag": e["tag"], "thrown_at": self.where(e["thrown_at"]),
                        "caught_at": self.where(e["caught_at"] - 1) if e["caught_at"] else None})
        return out

    def current_instance(self) -> dict[str, Any]:
        head = self.debug_header()
        insts = self.instances()
        if not insts:
            raise UserError("no instance yet (continue until the module is instantiated)")
        return insts[min(head["current"], len(insts) - 1)]

    def mem(self, addr: int, length: int = 64) -> bytes:
        """Bytes of the current instance's linear memory at wasm address `addr`."""
        inst = self.current_instance()
        if not inst["memory_pages"]:
            raise UserError("the current instance has no linear memory")
        if addr < 0 or addr + length > inst["memory_pages"] * 65536:
            raise UserError(f"{addr:#x}+{length} is outside the instance's "
                            f"{inst['memory_pages']} page(s) of memory")
        base = self.gdb.read_u64(inst["vmctx"] + VMCTX["mem_base"])
        out = b""
        while len(out) < length:  # page by page: a page never touched is not mapped yet
            at = addr + len(out)
            n = min(length - len(out), PAGE - at % PAGE)
            try:
                out += self.gdb.read_memory(base + at, n)
            except GdbError:
                out += bytes(n)  # demand-paged linear memory: untouched pages hold zeros
        return out

    def global_(self, which: str) -> values.Value:
        """A global of the current instance by export name or index."""
        inst = self.current_instance()
        meta = next(m for m in self.sym.modules.values() if m["name"] == inst["module"])
        exports = {e["name"]: e for e in meta["exports"] if e["kind"] == "global"}
        if which in exports:
            index = exports[which]["index"]
        elif which.isdigit() and int(which) < meta["nglobals"]:
            index = int(which)
        else:
            raise UserError(f"no global {which!r} (exported globals: "
                            f"{', '.join(exports) or 'none'})")
        storage = self.gdb.read_u64(inst["vmctx"] + meta["vmctx"]["globals"] + 8 * index)
        gtype = self._global_type(meta, index)
        width = values.WIDTH[values.type_name(gtype)] // 8  # a cell holds 16 bytes
        raw = int.from_bytes(self.gdb.read_memory(storage, max(width, 8)), "little")
        return values.Value(gtype, values.mask(gtype, raw))

    @staticmethod
    def _global_type(meta: dict[str, Any], index: int) -> str:
        imported = [i for i in meta["imports"] if i["kind"] == "global"]
        if index < len(imported):
            return CODE_NAMES[imported[index]["type"]]
        return CODE_NAMES[meta["globals"][index - len(imported)]["type"]]

    # --- snapshots ------------------------------------------------------------------------

    def snapshot(self, name: str) -> None:
        self._hmp(f"savevm {name}")

    def restore(self, name: str) -> None:
        self._hmp(f"loadvm {name}")
        # Back before the program's end (if it had ended): the next stop at the halt waits for
        # the exit frame of that run again, with the trap report sent before it.
        self._exit_seen.clear()

    def _hmp(self, command: str) -> None:
        assert self._machine is not None
        out = self._machine.qmp("human-monitor-command", **{"command-line": command})
        if out and "rror" in str(out):
            raise UserError(str(out).strip())

