"""The running programs of a debug session (guest/proc.c's `osb_procs` table): what `ps`
shows, and the requests `kill`, `stop`, `resume` and `start` write for the kernel to serve.

The table is kernel memory, read with QMP's pmemsave like the rest of the debugger's kernel
views; a request is written through the gdbstub in physical-address mode (QEMU's
`Qqemu.PhyMemMode`), because the CPU may be stopped in U-mode, whose page tables do not
let it see kernel pages. The kernel serves requests at its next tick (every 10 ms while
programs run, guest/proc.c), so `control` lets the guest run until the request is answered
and then pauses it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osbuild.abi import ABI, STRUCTS
from osbuild.errors import UserError

from .protocol import TICKS_PER_SECOND

if TYPE_CHECKING:
    from .debug import Session

TABLE = STRUCTS["osb_procs"]
ROW = STRUCTS["osb_proc_row"]
REQUEST = STRUCTS["osb_proc_request"]
STATES = ["free", "setup", "runnable", "blocked", "done"]  # guest/proc.h P_*
ENDS = ["exit", "trap", "error", "killed"]  # guest/proc.h END_*
OPS = {"kill": ABI.consts["PROC_KILL"], "stop": ABI.consts["PROC_STOP"],
       "resume": ABI.consts["PROC_RESUME"], "start": ABI.consts["PROC_START"]}
SERVE_TIMEOUT = 5.0  # seconds the guest may run before it answers a request


def _base(session: Session) -> int:
    if "osb_procs" not in session.symbols:
        raise UserError("this image's kernel has no process table")
    return session.symbols["osb_procs"]


def _header(session: Session) -> dict[str, int]:
    return TABLE.unpack(session.read_kernel(_base(session), TABLE.offset("row")))


def processes(session: Session) -> list[dict[str, Any]]:
    """A dict per program (process 0, the command script, is not shown): pid, name, state
    (running / runnable / blocked / stopped / done), CPU seconds, memory pages, fuel, and
    how it ended."""
    raw = session.read_kernel(_base(session) + TABLE.offset("row"),
                              ROW.size * TABLE.fields["row"].count)
    programs = session.image.programs or []
    modules = [m["name"] for m in session.image.metadata]
    out = []
    for i in range(1, TABLE.fields["row"].count):
        r = ROW.unpack(raw[ROW.size * i:ROW.size * (i + 1)])
        if r["state"] == 0:
            continue
        state = STATES[r["state"]] if r["state"] < len(STATES) else str(r["state"])
        if r["hart"] and state == "runnable":
            state = "running"
        if r["stopped"] and state != "done":
            state = "stopped"
        pid = r["pid"]
        name = programs[pid - 1]["name"] if pid <= len(programs) else \
            modules[r["module"]] if r["module"] < len(modules) else f"module {r['module']}"
        end = None
        if state == "done":
            end = ENDS[r["end"]] + (f" {r['status']}" if ENDS[r["end"]] in ("exit", "trap")
                                    else "")
        out.append({"pid": pid, "name": name, "state": state,
                    "hart": r["hart"] - 1 if r["hart"] else None,
                    "cpu": r["ticks"] / TICKS_PER_SECOND, "pages": r["pages"],
                    "fuel": r["fuel"], "end": end})
    return sorted(out, key=lambda p: p["pid"])


def control(session: Session, op: str, arg: int) -> bool:
    """Ask the kernel to kill / stop / resume process ``arg``, or start module ``arg`` as a
    new program; True if it did. The guest runs until it has answered."""
    if op not in OPS:
        raise UserError(f"unknown request {op!r}")
    base = _base(session)
    head = _header(session)
    n = head["requested"]
    slot = base + TABLE.offset("request") + REQUEST.size * (n % TABLE.fields["request"].count)
    entry = OPS[op].to_bytes(4, "little") + arg.to_bytes(4, "little")
    session.write_kernel(slot, entry)
    session.write_kernel(base + TABLE.offset("requested"), (n + 1).to_bytes(4, "little"))
    refused = head["refused"]
    session.resume_briefly(lambda: _answered(session, n + 1), SERVE_TIMEOUT)
    after = _header(session)
    if after["served"] + after["refused"] < n + 1:
        raise UserError("the guest did not answer the request (is it still running programs?)")
    return after["refused"] == refused


def _answered(session: Session, count: int) -> bool:
    head = _header(session)
    return head["served"] + head["refused"] >= count
