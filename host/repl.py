"""The `osbuild debug` prompt: the Session API as commands, with history and tab completion
(Python's cmd + readline), reading commands from stdin when it is not a terminal.

Values print as `osbuild run --invoke` prints them (host/values.py); the commands that print
values take gdb's `/x` format letter for the raw bits in hex (`global/x calls`)."""

from __future__ import annotations

import cmd
import sys

from osbuild.errors import UserError

from .debug import Session
from .gdb import Disconnected, GdbError


def hex_option(arg: str) -> tuple[bool, str]:
    """Split gdb's format letter off a command's argument: (`/x` given, the rest)."""
    arg = arg.strip()
    if not arg.startswith("/"):
        return False, arg
    fmt, _, rest = arg.partition(" ")
    if fmt != "/x":
        raise UserError(f"unknown format {fmt} (/x prints the raw bits in hex)")
    return True, rest.strip()


class DebugShell(cmd.Cmd):
    intro = ("osbuild debug: the guest is paused before its first instruction. "
             "'help' lists commands.")
    prompt = "(osbuild) "

    def __init__(self, session: Session, interactive: bool) -> None:
        super().__init__(stdin=sys.stdin)
        self.s = session
        self.use_rawinput = interactive
        if not interactive:
            self.intro = None
            self.prompt = ""

    def onecmd(self, line: str) -> bool:
        try:
            return super().onecmd(line)
        except Disconnected as e:  # nothing left to inspect: the session ends in one line
            raise UserError(f"the guest stopped during the debug session: {e}") from None
        except (UserError, GdbError) as e:
            print(f"error: {e}")
            return False

    def emptyline(self) -> bool:
        return False

    def default(self, line: str) -> bool:
        print(f"unknown command: {line.split()[0]} ('help' lists commands)")
        return False

    def _print_results(self, hex_bits: bool = False) -> None:
        for results in self.s.out.results:
            for value in results.values:
                print(value.text(hex=hex_bits))

    def _report_end(self) -> None:
        out = self.s.out
        if self.s.finished():
            self._print_results()
            for t in out.traps:
                print(f"trap: {t.message} at {self.s.where(t.pc)}")
            print(f"exit status: {out.exit_status}")

    # run control
    def do_continue(self, arg: str) -> bool:
        """continue: resume until a breakpoint or the end of the program"""
        print(self.s.cont())
        self._report_end()
        return False

    do_c = do_continue

    def do_pause(self, arg: str) -> bool:
        """pause: stop the guest"""
        print(self.s.pause())
        return False

    def do_quit(self, arg: str) -> bool:
        """quit: end the session (QEMU stops)"""
        return True

    do_q = do_quit
    do_EOF = do_quit

    def do_break(self, arg: str) -> bool:
        """break FUNC: stop when wasm function FUNC (name, module!name or index) is entered"""
        n = self.s.break_(arg.strip())
        desc, addr = self.s.breakpoints[n]
        print(f"breakpoint {n} at {desc} ({addr:#x})")
        return False

    do_b = do_break

    def complete_break(self, text: str, *_: object) -> list[str]:
        names = [n for m in self.s.sym.modules.values() for n in m.get("func_names", {}).values()]
        return [n for n in names if n.startswith(text)]

    def do_delete(self, arg: str) -> bool:
        """delete N: remove breakpoint N"""
        self.s.delete(int(arg))
        return False

    # inspection
    def do_regs(self, arg: str) -> bool:
        """regs: CPU registers, pc and ra as module!function+offset; v0..v31, vl and vtype
        once a program has used the vector unit (each register in hex, lane 0 lowest)"""
        r = self.s.regs()
        print(f"pc  {r['pc']:#018x}  {r['pc_symbol']}")
        print(f"ra  {r['ra']:#018x}  {r['ra_symbol']}")
        names = [k for k in r if k not in ("pc", "ra", "pc_symbol", "ra_symbol", "zero")]
        for i in range(0, len(names), 4):
            print("  ".join(f"{k:>4} {r[k]:#018x}" for k in names[i:i + 4]))
        v = self.s.vector_state()
        if v is None:
            print("vector registers: unused (no vector instruction has run since boot)")
            return False
        print(f"vector state {v.status}: vl {v.vl}  vtype {v.vtype:#x} ({v.vtype_text()})  "
              f"vstart {v.vstart}  vlenb {v.vlenb}")
        digits = 2 * v.vlenb
        for i in range(0, 32, 2):
            print("  ".join(f"{f'v{j}':>4} 0x{v.registers[j]:0{digits}x}" for j in (i, i + 1)))
        return False

    def do_bt(self, arg: str) -> bool:
        """bt: wasm backtrace of the stopped code"""
        frames = self.s.bt()
        if not frames:
            print("not stopped in wasm code")
        for i, f in enumerate(frames):
            print(f"{i:>3}: {f.text}")
        return False

    def do_instances(self, arg: str) -> bool:
        """instances: the instances in the guest, their state, memory and last trap"""
        print(f"{'id':>3}  {'module':<16}{'state':<10}{'store':>6}{'pages':>7}  last trap")
        for i in self.s.instances():
            pages = "-" if i["memory_pages"] is None else str(i["memory_pages"])
            print(f"{i['id']:>3}  {i['module']:<16}{i['state']:<10}{i['store']:>6}{pages:>7}"
                  f"  {i['last_trap'] or '-'}")
        return False

    def do_ps(self, arg: str) -> bool:
        """ps: the programs of an image of several, with state, CPU time, memory and fuel"""
        rows = self.s.processes()
        print(f"{'pid':>4}  {'name':<12}{'state':<10}{'hart':>5}{'cpu s':>8}{'pages':>7}"
              f"{'fuel':>12}  end")
        for p in rows:
            hart = "-" if p["hart"] is None else str(p["hart"])
            print(f"{p['pid']:>4}  {p['name']:<12}{p['state']:<10}{hart:>5}{p['cpu']:>8.3f}"
                  f"{p['pages']:>7}{p['fuel']:>12}  {p['end'] or '-'}")
        if not rows:
            print("no programs (this is not an image of several, or none has started)")
        return False

    def _control(self, op: str, arg: str, what: str) -> bool:
        if not arg.strip().isdigit():
            raise UserError(f"usage: {op} {what}")
        n = int(arg)
        ok = self.s.control(op, n)
        print(f"{op} {n}: {'done' if ok else 'refused (no such program, or no free slot)'}")
        return False

    def do_kill(self, arg: str) -> bool:
        """kill PID: end a program (its end is reported as killed)"""
        return self._control("kill", arg, "PID")

    def do_stop(self, arg: str) -> bool:
        """stop PID: stop scheduling a program until `resume`"""
        return self._control("stop", arg, "PID")

    def do_resume(self, arg: str) -> bool:
        """resume PID: schedule a stopped program again"""
        return self._control("resume", arg, "PID")

    def do_start(self, arg: str) -> bool:
        """start MODULE: start module number MODULE of the image as a new program"""
        return self._control("start", arg, "MODULE")

    def do_mem(self, arg: str) -> bool:
        """mem ADDR [LEN]: hex dump of the current instance's linear memory"""
        parts = arg.split()
        if not parts:
            raise UserError("usage: mem ADDR [LEN]")
        addr, length = int(parts[0], 0), int(parts[1], 0) if len(parts) > 1 else 64
        data = self.s.mem(addr, length)
        for off in range(0, len(data), 16):
            chunk = data[off:off + 16]
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            print(f"{addr + off:08x}  {chunk.hex(' '):<47}  {text}")
        return False

    def do_global(self, arg: str) -> bool:
        """global[/x] NAME|INDEX: a global of the current instance (/x: its bits in hex)"""
        hex_bits, which = hex_option(arg)
        value = self.s.global_(which)
        print(f"{value.type} {value.text(hex=hex_bits)}")
        return False

    def do_results(self, arg: str) -> bool:
        """results[/x]: the export's results as `run --invoke` prints them (/x: in hex)"""
        hex_bits, _ = hex_option(arg)
        if not self.s.out.results:
            print("no results" if self.s.finished() else "no results yet")
        self._print_results(hex_bits)
        return False

    def do_locals(self, arg: str) -> bool:
        """locals: not available (the compiler keeps locals in registers without debug info)"""
        print("locals are not available: compiled code keeps them in registers and the "
              "compiler emits line tables only")
        return False

    def do_console(self, arg: str) -> bool:
        """console: the program's output so far"""
        sys.stdout.write(self.s.out.stdout.decode(errors="replace"))
        sys.stdout.write(self.s.out.stderr.decode(errors="replace"))
        return False

    def do_traps(self, arg: str) -> bool:
        """traps: the trap log"""
        for t in self.s.out.traps:
            print(f"{t.message} at {self.s.where(t.pc)}")
        if not self.s.out.traps:
            print("no traps")
        return False

    def do_exceptions(self, arg: str) -> bool:
        """exceptions: the last exceptions thrown, where, and where they were caught"""
        log = self.s.exceptions()
        for e in log:
            fate = f"caught at {e['caught_at']}" if e["caught_at"] else "uncaught"
            print(f"#{e['number']}: thrown at {e['thrown_at']}, {fate} (tag {e['tag']:#x})")
        if not log:
            print("no exceptions")
        return False

    def do_snapshot(self, arg: str) -> bool:
        """snapshot NAME: save the whole VM state"""
        self.s.snapshot(arg.strip() or "default")
        print(f"saved snapshot {arg.strip() or 'default'}")
        return False

    def do_restore(self, arg: str) -> bool:
        """restore NAME: return to a saved snapshot"""
        self.s.restore(arg.strip() or "default")
        print(f"restored snapshot {arg.strip() or 'default'}; {self.s.pause()}")
        return False


def repl(session: Session) -> int:
    interactive = sys.stdin.isatty()
    shell = DebugShell(session, interactive)
    try:
        shell.cmdloop()
    except KeyboardInterrupt:
        print()
    return session.out.exit_status or 0
