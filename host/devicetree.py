"""The device tree the guest boots with: QEMU's own for the machine, minus the nodes that
neither the firmware nor the kernel reads, given to QEMU with -dtb.

Why: OpenSBI 1.1 (the firmware QEMU 7.2 ships) probes its drivers by walking the whole tree
once per compatible string of each driver's match table. With QEMU virt's tree that is ~12 M
guest instructions before the kernel's first, 84% of them in libfdt (measured with `-icount
shift=0` and `-d exec`): ~5 ms of every run. Without the PCI host bridge, flash, platform bus,
fw_cfg, RTC, CPU map, the syscon power-off/reboot nodes (OpenSBI powers off through the
sifive_test device, which stays) and the eight virtio-mmio transport nodes (guest/virtio.c
probes the transports at their fixed addresses), it runs ~5.4 M (issue 14).

The tree is QEMU's own, dumped (`-machine virt,dumpdtb=`) with the options that shape it
(-cpu, -m, -smp) and cached by those and the QEMU binary, so that it stays what this QEMU
builds for this machine: the memory node, the CPU's ISA string (guest/isa.def checks it), the
interrupt controllers. QEMU still adds the initrd's place to /chosen when it loads one. The
first run of each machine size pays one QEMU start for the dump (~40 ms).
"""

from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

from osbuild import cache
from osbuild.tmpdirs import private_dir

# Nodes (by name without the unit address) that the guest does without; see the docstring.
UNUSED = ("pci", "flash", "platform-bus", "fw-cfg", "rtc", "cpu-map", "poweroff", "reboot",
          "virtio_mmio")
# /chosen's random seed: dumped once and cached, it would be the same in every boot; nothing
# of ours reads it (WASI's random_get reads the virtio entropy device).
UNUSED_PROPERTIES = (("chosen", "rng-seed"),)
# Without these OpenSBI finds no console and prints nothing: its ~1.7 KB banner costs a UART
# write in QEMU, and a wake-up of the host's reader, per byte. The kernel drives the UART at
# its fixed address without asking the tree (guest/uart.c); `osbuild run -v` keeps them.
FIRMWARE_CONSOLE = (("chosen", "stdout-path"), ("serial", "compatible"))
HEADER = struct.Struct(">10I")  # magic, totalsize, off_struct, off_strings, off_rsvmap,
# version, last_comp_version, boot_cpuid_phys, size_strings, size_struct
FDT_MAGIC = 0xD00DFEED
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class DeviceTreeError(ValueError):
    """Not a flattened device tree this module can read."""


def _align(n: int) -> int:
    return (n + 3) & ~3


def prune(dtb: bytes, unused: tuple[str, ...] = UNUSED,
          unused_properties: tuple[tuple[str, str], ...] = UNUSED_PROPERTIES) -> bytes:
    """``dtb`` without the nodes named in ``unused`` (and their subtrees) and the properties
    of ``unused_properties`` ((node name, property name)), packed (no free space). Nodes are
    named without their unit address (`serial`, not `serial@10000000`)."""
    if len(dtb) < HEADER.size:
        raise DeviceTreeError("too short for a device tree header")
    (magic, _, off_struct, off_strings, off_rsvmap, version, last_comp, boot_cpu,
     size_strings, size_struct) = HEADER.unpack_from(dtb)
    if magic != FDT_MAGIC or version < 17:
        raise DeviceTreeError("not a version 17 flattened device tree")
    structure = dtb[off_struct:off_struct + size_struct]
    strings = dtb[off_strings:off_strings + size_strings]
    rsvmap_end = off_rsvmap
    while struct.unpack_from(">QQ", dtb, rsvmap_end) != (0, 0):
        rsvmap_end += 16
    rsvmap = dtb[off_rsvmap:rsvmap_end + 16]

    out = bytearray()
    names: list[str] = []
    skipping = 0  # depth inside a dropped node
    i = 0
    while i < len(structure):
        (tag,) = struct.unpack_from(">I", structure, i)
        if tag == BEGIN_NODE:
            end = structure.index(b"\0", i + 4)
            name = structure[i + 4:end].decode()
            nxt = i + 4 + _align(end + 1 - (i + 4))
            names.append(name)
            if skipping or name.split("@")[0] in unused:
                skipping += 1
            else:
                out += structure[i:nxt]
            i = nxt
        elif tag == END_NODE:
            names.pop()
            if skipping:
                skipping -= 1
            else:
                out += structure[i:i + 4]
            i += 4
        elif tag == PROP:
            length, nameoff = struct.unpack_from(">II", structure, i + 4)
            nxt = i + 12 + _align(length)
            prop = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            if not skipping and (names[-1].split("@")[0], prop) not in unused_properties:
                out += structure[i:nxt]
            i = nxt
        elif tag == NOP:
            i += 4
        elif tag == END:
            out += structure[i:i + 4]
            break
        else:
            raise DeviceTreeError(f"unknown structure token {tag:#x} at {i:#x}")
    if names or not out.endswith(struct.pack(">I", END)):
        raise DeviceTreeError("unterminated structure block")
    off_rsvmap = (HEADER.size + 7) & ~7  # the memory reservation map is 8-byte aligned
    off_struct = off_rsvmap + len(rsvmap)
    off_strings = off_struct + len(out)
    total = off_strings + len(strings)
    header = HEADER.pack(FDT_MAGIC, total, off_struct, off_strings, off_rsvmap, version,
                         last_comp, boot_cpu, len(strings), len(out))
    return (header + bytes(off_rsvmap - HEADER.size) + rsvmap + bytes(out) + strings)


def node_names(dtb: bytes) -> list[str]:
    """The paths of every node of ``dtb`` (for tests and for looking)."""
    _, _, off_struct, _, _, _, _, _, _, size_struct = HEADER.unpack_from(dtb)
    structure = dtb[off_struct:off_struct + size_struct]
    path: list[str] = []
    out = []
    i = 0
    while i < len(structure):
        (tag,) = struct.unpack_from(">I", structure, i)
        if tag == BEGIN_NODE:
            end = structure.index(b"\0", i + 4)
            path.append(structure[i + 4:end].decode())
            out.append("/".join(path) or "/")
            i = i + 4 + _align(end + 1 - (i + 4))
        elif tag == END_NODE:
            path.pop()
            i += 4
        elif tag == PROP:
            i += 12 + _align(struct.unpack_from(">I", structure, i + 4)[0])
        elif tag == END:
            break
        else:
            i += 4
    return out


def machine_dtb(qemu: str, machine_args: list[str], *, firmware_console: bool = True) -> Path:
    """The pruned device tree of ``qemu -machine virt`` with ``machine_args`` (the options
    that shape the tree: -cpu, -m, -smp), dumped and cached on first use; without
    ``firmware_console``, one in which the firmware finds no console (FIRMWARE_CONSOLE)."""
    real = os.path.realpath(qemu)
    st = os.stat(real)
    unused_properties = UNUSED_PROPERTIES + (() if firmware_console else FIRMWARE_CONSOLE)
    key = cache.make_key(real, str(st.st_size), str(st.st_mtime_ns), *machine_args, "--",
                         *UNUSED, "--", *(f"{n}:{p}" for n, p in unused_properties))
    entry = cache.entry("devicetrees", key, ".dtb")
    if entry.exists():
        return entry
    with private_dir("dtb") as tmp:
        dump = Path(tmp) / "virt.dtb"
        proc = subprocess.run([qemu, "-machine", f"virt,dumpdtb={dump}", *machine_args,
                               "-nodefaults", "-display", "none", "-serial", "null",
                               "-monitor", "none"], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not dump.exists():
            raise RuntimeError(f"QEMU did not dump its device tree: {proc.stderr.strip()}")
        pruned = prune(dump.read_bytes(), unused_properties=unused_properties)
    return cache.write_file(entry, pruned)
