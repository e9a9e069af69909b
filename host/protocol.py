"""The host↔guest protocol as text and bytes (docs/ARCHITECTURE.md, "Command script" and
"Console protocol"): building command scripts and splitting the guest's UART stream into
frames; host/answers.py parses the answer frames into typed answers. Every line the host sends
goes through here; host/console.py moves the bytes.

A plain `osbuild run` imports this module and not the answers' (which need dataclasses, the
values and the ABI: ~15 ms of imports, issue 14), since a WASI command answers nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

TICKS_PER_SECOND = 10_000_000  # QEMU virt's time CSR runs at 10 MHz

MARK = 0x1E  # starts every frame, in both directions
ANSWERS = "RTL"  # the channels that answer a command line


def hexname(name: str) -> str:
    """A name or string as the script writes it: hex UTF-8, `-` for the empty one."""
    return name.encode().hex() or "-"


class Script:
    """A command script, one method per command line of the guest (guest/main.c); the
    methods chain. ``answers`` counts the lines the guest answers with one frame each, so a
    caller can pair answers with the lines that asked for them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.answers = 0

    def _add(self, command: str, *words: str, answered: bool = False) -> Script:
        self.lines.append(" ".join([command, *words]))
        self.answers += answered
        return self

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def extend(self, other: Script) -> Script:
        self.lines += other.lines
        self.answers += other.answers
        return self

    # --- session settings (no answer) ---------------------------------------------------

    def continue_on_trap(self) -> Script:
        """Keep going after a trap (otherwise a trap ends the run with status 134)."""
        return self._add("continue-on-trap")

    def kernel_fault(self) -> Script:
        """Tests only: make the kernel execute an illegal instruction (its panic path: the
        registers in a P frame, power off with status 70)."""
        return self._add("debug-kernel-fault")

    def no_poweroff(self) -> Script:
        """At the end, report the exit status and park for a debugger instead of powering
        off."""
        return self._add("no-poweroff")

    def store(self, n: int) -> Script:
        return self._add("store", f"{n:x}")

    def drop_store(self, n: int) -> Script:
        return self._add("drop-store", f"{n:x}")

    def fuel(self, n: int) -> Script:
        return self._add("fuel", f"{n:x}")

    def max_memory(self, pages: int) -> Script:
        """No linear memory of later instances may exceed ``pages``: growth past it answers
        -1, a larger minimum fails instantiation (wasmtime's limit)."""
        return self._add("max-memory", f"{pages:x}")

    def deadline(self, ticks: int) -> Script:
        return self._add("deadline", f"{ticks:x}")

    def tty(self, mask: int) -> Script:
        return self._add("tty", f"{mask:x}")

    def arg(self, text: str) -> Script:
        return self._add("arg", hexname(text))

    def env(self, key_value: str) -> Script:
        return self._add("env", hexname(key_value))

    def dir(self, guest_path: str) -> Script:
        return self._add("dir", hexname(guest_path))

    def stdin(self) -> Script:
        return self._add("stdin")

    def tcplisten(self) -> Script:
        """The listening socket of --tcplisten (host/netproxy.py), at the next fd."""
        return self._add("tcplisten")

    def quit(self) -> Script:
        """End an interactive session (the guest powers off)."""
        return self._add("quit")

    # --- lines answered by one frame ------------------------------------------------------

    def interactive(self) -> Script:
        """Read further lines from the UART; answered once, when the guest is ready."""
        return self._add("interactive", answered=True)

    def instantiate(self, module: int) -> Script:
        return self._add("instantiate", f"{module:x}", answered=True)

    def register(self, instance: int, name: str) -> Script:
        return self._add("register", f"{instance:x}", hexname(name), answered=True)

    def invoke(self, instance: int, export: str, args: Sequence[int] = ()) -> Script:
        """Call an export with raw argument bits (host/values.py makes them)."""
        return self._add("invoke", f"{instance:x}", hexname(export), *(f"{a:x}" for a in args),
                         answered=True)

    def get(self, instance: int, name: str) -> Script:
        return self._add("get", f"{instance:x}", hexname(name), answered=True)

    def start(self, instance: int) -> Script:
        return self._add("start", f"{instance:x}", answered=True)

    def meminfo(self) -> Script:
        return self._add("meminfo", answered=True)

    def memhash(self, instance: int) -> Script:
        return self._add("memhash", f"{instance:x}", answered=True)

    def instret(self) -> Script:
        """Instructions the guest has retired so far (`i64:N`; exact under QEMU -icount)."""
        return self._add("instret", answered=True)

    # --- programs of their own (guest/proc.h; host/programs.py) --------------------------

    def proc(self, module: int, name: str) -> Script:
        """Begin a program of module ``module``: the lines up to `spawn` configure it (arg,
        env, dir, stdin, tty, fuel, max-memory, deadline and the three below)."""
        return self._add("proc", f"{module:x}", hexname(name))

    def stdin_pipe(self, pipe: int) -> Script:
        return self._add("stdin-pipe", f"{pipe:x}")

    def stdout_pipe(self, pipe: int) -> Script:
        return self._add("stdout-pipe", f"{pipe:x}")

    def main(self) -> Script:
        """The run's exit status is this program's."""
        return self._add("main")

    def spawn(self) -> Script:
        return self._add("spawn")

    def wait(self) -> Script:
        """Until every program ended (an `E` frame each: "PID exit N", "PID trap CODE",
        "PID error", "PID killed"); the run's status becomes theirs."""
        return self._add("wait")

    def stats(self) -> Script:
        """After every start/invoke, an `M` frame (not an answer) with the instructions the
        call retired and the peak of physical pages in use (`parse_stats`)."""
        return self._add("stats")


# --- frames -------------------------------------------------------------------------------

class Demux:
    """Splits the UART stream into frames (``MARK, channel, len_lo, len_hi, payload``),
    incrementally: feed it whatever a read returned, get back the complete frames in order.
    Bytes before the first frame are the firmware's banner (``noise``); bytes skipped to
    regain sync after it (``lost``) would be a kernel bug."""

    def __init__(self) -> None:
        self.noise = bytearray()
        self.lost = bytearray()
        self._buf = bytearray()
        self._started = False

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        self._buf += data
        frames: list[tuple[str, bytes]] = []
        if not self._started:
            i = self._buf.find(MARK)
            if i < 0:
                self.noise += self._buf
                self._buf.clear()
                return frames
            self.noise += self._buf[:i]
            del self._buf[:i]
            self._started = True
        while len(self._buf) >= 4:
            if self._buf[0] != MARK:  # lost sync: skip to the next mark
                j = self._buf.find(MARK, 1)
                skip = j if j > 0 else len(self._buf)
                self.lost += self._buf[:skip]
                del self._buf[:skip]
                continue
            n = self._buf[2] | (self._buf[3] << 8)
            if len(self._buf) < 4 + n:
                break
            frames.append((chr(self._buf[1]), bytes(self._buf[4 : 4 + n])))
            del self._buf[: 4 + n]
        return frames

    @property
    def started(self) -> bool:
        """Whether the kernel's first frame has come (else all so far was firmware noise)."""
        return self._started

    @property
    def pending(self) -> bytes:
        """Bytes of an incomplete frame (or lost sync) not yet returned."""
        return bytes(self._buf)


def stdin_frame(chunk: bytes) -> bytes:
    """Host → guest stdin data as a frame (``MARK, len_lo, len_hi, data``; empty = EOF)."""
    return bytes([MARK, len(chunk) & 0xFF, len(chunk) >> 8]) + chunk
