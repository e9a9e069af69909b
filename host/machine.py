"""Machine: owns one qemu-system-riscv64 process for the duration of a `with` block.

Modelled on QEMU's own `qemu.machine`: we listen on a QMP socket before starting QEMU, QEMU
connects to it (no polling for a socket to appear), the guest starts paused (-S) and runs on
`cont`. Leaving the block, for whatever reason, asks QEMU to quit over QMP, then terminates
and finally kills its process group, so no QEMU ever outlives the command that started it.

A machine that only runs to power-off (`osbuild run`, host/console.py `boot`) needs no QMP:
``qmp=False`` starts the guest at once, without the socket, the handshake and the `cont`
round trip (issue 14: a few milliseconds of every run), and leaving the block terminates QEMU
by SIGTERM (which QEMU takes as a clean quit) if it still runs.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from osbuild.errors import ToolMissing, UserError
from osbuild.tmpdirs import private_dir

from .devicetree import machine_dtb
from .guestram import guest_ram, parse_size
from .image import Image

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import Any

    from .qmp import QMP

QEMU = "qemu-system-riscv64"
CONSOLE_BUFFER = 1 << 20  # socket buffer of the console port, each way (bytes in flight)
VIRTIO_TRANSPORTS = 8  # virtio-mmio slots of QEMU's virt machine
MAX_DIRS = VIRTIO_TRANSPORTS - 2  # what the entropy device and the console port leave free


def console_device(fd: int) -> list[str]:
    """QEMU arguments for the program's stdio (guest/vconsole.c): a virtio-serial device whose
    port 1 is backed by the connected socket ``fd``. A serial port, not a console port: QEMU
    throttles it when the socket is full instead of dropping data. max_ports=3: ports 0 to 2
    can exist, so the device offers the MULTIPORT feature a port other than 0 needs; port 2
    is `--tcplisten`'s (host/netproxy.py), added by the caller when wanted."""
    return ["-device", "virtio-serial-device,max_ports=3",
            "-chardev", f"socket,id=osbcon,fd={fd}",
            "-device", "virtserialport,chardev=osbcon,nr=1,name=osb.stdio"]


PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None]:
    """What the child runs before exec: the kernel kills QEMU if our process dies, however it
    dies (even SIGKILL, where no cleanup code of ours can run). libc's prctl is looked up
    here, in the parent, once: looking it up in each forked child (a dlopen) cost every run
    about a millisecond (issue 14)."""
    if not _prctl:
        try:
            _prctl.append(ctypes.CDLL(None, use_errno=True).prctl)
        except (OSError, AttributeError):
            _prctl.append(None)
    prctl = _prctl[0]

    def in_child() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return in_child


_prctl: list[Any] = []


def qemu_binary() -> str:
    path = shutil.which(QEMU)
    if path is None:
        raise ToolMissing(f"{QEMU} not found: install qemu-system-misc "
                          "(apt-get install qemu-system-misc opensbi)")
    return path


RAM_BASE = 0x80000000  # QEMU virt's DRAM
INITRD_GAP = 128 << 20  # QEMU riscv: -initrd at the image's start + min(RAM / 2, 128 MiB)


def script_args(image: Image, script: str, size: int, ram: int) -> list[str]:
    """QEMU arguments that load the command script ``script``: as the initrd (the device tree
    says where) if QEMU's fixed initrd address lies past the image's end, else right after the
    image with QEMU's loader device, where the kernel looks when there is no initrd
    (guest/main.c script_after_image). So an image of any size boots. ``script``: the file's
    path, ``size``: its size in bytes."""
    low = min(image.load_addresses)
    end = image.symbol("__kernel_end")
    assert end is not None, "an osbuild image defines __kernel_end (boot/image.ld)"
    initrd = low + min(ram // 2, INITRD_GAP)
    if initrd >= end and initrd + size <= RAM_BASE + ram:
        return ["-initrd", str(script)]
    if end + size >= RAM_BASE + ram:
        raise UserError(f"the image ({(end - low) >> 20} MiB) does not fit in the guest's RAM "
                        f"({ram >> 20} MiB): give it more with --guest-ram")
    return ["-device", f"loader,file={script},addr={end:#x},force-raw=on"]


def script_file(text: str) -> int:
    """A descriptor of an anonymous in-memory file holding ``text`` (the command script),
    for QEMU to inherit: no temporary folder to make, sweep and remove per run (issue 14)."""
    fd = os.memfd_create("osbuild-script", os.MFD_CLOEXEC)
    data = memoryview(text.encode())
    while data:
        data = data[os.write(fd, data):]
    return fd


TREE_SHAPING = ("-cpu", "-m", "-smp")  # the options that change QEMU virt's device tree


def device_tree_args(qemu: str, args: list[str], firmware_console: bool = True) -> list[str]:
    """`-dtb` and the pruned device tree (host/devicetree.py) of the machine that ``args``
    describe, where the last -cpu, -m and -smp count, as in QEMU (a test's extra -cpu without
    an extension must reach the ISA string the kernel checks); none when the arguments choose
    another machine or their own tree. ``firmware_console``: whether OpenSBI may print."""
    if "-dtb" in args or args.count("-machine") + args.count("-M") != 1:
        return []
    shape = []
    for option in TREE_SHAPING:
        at = [i for i, a in enumerate(args[:-1]) if a == option]
        if at:
            shape += [option, args[at[-1] + 1]]
    return ["-dtb", str(machine_dtb(qemu, shape, firmware_console=firmware_console))]


class Machine:
    """A QEMU virt machine booting ``image`` with ``script`` as its command script, with
    ``memory`` of RAM (QEMU's -m; default: enough for the image's memories, host/guestram.py)
    and ``harts`` CPUs (QEMU's -smp; the kernel runs programs on all of them, guest/smp.c).
    ``qmp``: paused at start and controlled over QMP (`cont`, `qmp`); False: running at once,
    no monitor (see the module's docstring). ``firmware_console``: False hides the UART from
    OpenSBI, which then prints no banner (host/devicetree.py)."""

    def __init__(self, image: Path | Image, script: str | None = None, *,
                 memory: str | None = None, extra_args: list[str] | None = None,
                 stdin: bool = False, qmp: bool = True, firmware_console: bool = True,
                 harts: int = 1) -> None:
        # the caller's Image when it has one: the file is read and parsed once per run
        self.info = image if isinstance(image, Image) else Image(image)
        self.image = self.info.path
        self.harts = harts
        self.script = script
        self.memory = memory
        self.extra_args = extra_args or []
        self.want_stdin = stdin  # a pipe to the guest's UART (interactive sessions)
        self.port: socket.socket | None = None  # our end of the console port (stdio)
        self._port_guest: socket.socket | None = None  # QEMU's end, until QEMU has it
        self.proc: subprocess.Popen[bytes] | None = None
        self.use_qmp = qmp
        self.firmware_console = firmware_console
        self._qmp: QMP | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._script_fd: int | None = None

    def command_line(self, workdir: Path | None) -> list[str]:
        """QEMU's arguments; ``workdir``: where the QMP socket goes (None: no QMP)."""
        memory = self.memory or guest_ram(self.info)
        # The vector extension (RVV 1.0, VLEN 128) for SIMD code: guest/isa.def. (vext_spec
        # said, or QEMU warns on stderr that it assumes v1.0.)
        qemu = qemu_binary()
        args = [qemu, "-machine", "virt", "-cpu", "rv64,v=true,vlen=128,vext_spec=v1.0",
                "-m", memory, "-smp", str(self.harts), "-bios", "default", "-display", "none",
                "-monitor", "none", "-serial", "stdio", "-no-reboot", "-kernel", str(self.image),
                # virtio-mmio version 2 devices; entropy for WASI random_get
                "-global", "virtio-mmio.force-legacy=false",
                "-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-device,rng=rng0"]
        if workdir is not None:
            args += ["-qmp", f"unix:{workdir / 'qmp.sock'}", "-S"]
        if self._port_guest is not None:
            args += console_device(self._port_guest.fileno())
        if self._script_fd is not None:
            # QEMU reads the script through the descriptor it inherits: no file to write,
            # and nothing left behind whatever happens to either process
            args += script_args(self.info, f"/proc/self/fd/{self._script_fd}",
                                os.fstat(self._script_fd).st_size, parse_size(memory, "-m"))
        if self.harts > 1:  # a host thread per hart, so that harts run at once
            args += ["-accel", "tcg,thread=multi"]
        args += self.extra_args
        return args + device_tree_args(qemu, args, self.firmware_console)

    def launch(self) -> None:
        workdir = None
        if self.use_qmp:
            from .qmp import QMP

            self._tmp = private_dir("qemu")
            workdir = Path(self._tmp.name)
            self._qmp = QMP(str(workdir / "qmp.sock"))
        if self.script is not None:
            self._script_fd = script_file(self.script)
        stdin = subprocess.PIPE if self.want_stdin else subprocess.DEVNULL
        self.port, self._port_guest = socket.socketpair()
        for end in (self.port, self._port_guest):
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CONSOLE_BUFFER)
            end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CONSOLE_BUFFER)
        fds = [self._port_guest.fileno()]
        if self._script_fd is not None:
            fds.append(self._script_fd)
        try:
            self.proc = subprocess.Popen(self.command_line(workdir), stdin=stdin,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         pass_fds=fds, start_new_session=True,
                                         preexec_fn=die_with_parent())
        finally:  # only QEMU holds its end: the port ends when QEMU does
            self._port_guest.close()
            self._port_guest = None
            if self._script_fd is not None:
                os.close(self._script_fd)
                self._script_fd = None
        if self._qmp is None:
            return
        try:
            self._qmp.accept(timeout=30)
        except Exception:
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.poll() else ""
            self.shutdown()
            raise RuntimeError(f"QEMU did not start: {err.strip() or 'no QMP connection'}")\
                from None

    def qmp(self, cmd: str, **args: Any) -> Any:
        """Send one QMP command and return its result."""
        assert self._qmp is not None
        return self._qmp.cmd(cmd, **args)

    def cont(self) -> None:
        """Start the guest (a machine without QMP runs already)."""
        if self._qmp is not None:
            self.qmp("cont")

    def startup_error(self) -> str | None:
        """Why QEMU exited before its guest ran, from its stderr (after the machine ended
        with a non-zero status): the job of `launch`'s QMP check for a machine without QMP."""
        assert self.proc is not None and self.proc.stderr is not None
        if self.proc.returncode in (None, 0):
            return None
        try:
            err = self.proc.stderr.read().decode(errors="replace")
        except (OSError, ValueError):
            return None
        return err.strip() or None

    @property
    def stdout(self) -> Any:
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout

    def send(self, line: str) -> None:
        """Write one line to the guest's UART."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def wait(self, timeout: float | None = None) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)

    def shutdown(self) -> None:
        """Quit QEMU politely over QMP, then by signal; always reap it and clean up."""
        proc, qmp = self.proc, self._qmp
        self._qmp = None
        if qmp is not None:
            try:
                if proc is not None and proc.poll() is None:
                    qmp.settimeout(2)
                    qmp.cmd("quit")
            except Exception:  # noqa: BLE001 - QEMU may already be gone
                pass
            try:
                qmp.close()
            except Exception:  # noqa: BLE001
                pass
        if proc is not None:
            if qmp is None and proc.poll() is None:
                try:  # no QMP to ask: SIGTERM is QEMU's clean quit
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(proc.pid, sig)
                    except ProcessLookupError:
                        break
                    try:
                        proc.wait(timeout=2)
                        break
                    except subprocess.TimeoutExpired:
                        continue
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:  # stdin's unflushed bytes to a QEMU that was killed
                        pass
        if self.port is not None:
            self.port.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Machine:
        self.launch()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.shutdown()
