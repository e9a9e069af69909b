"""The kernel's C flags and the linker's flags: part of every kernel and image cache key, so
they live apart from the builders, and computing a cached run's image key (host/pipeline.py)
imports this and not the image builder with the compiler's types (issue 14). The builders
read them here at each use (tests change them to see the keys change)."""

from __future__ import annotations

CFLAGS = [
    "--target=riscv64-unknown-elf", "-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany",
    "-mno-relax", "-ffreestanding", "-fno-builtin", "-nostdlib", "-std=c11", "-Wall",
    "-Wextra", "-Werror", "-O2", "-fno-omit-frame-pointer", "-momit-leaf-frame-pointer",
    "-fno-stack-protector",
]

LDFLAGS = ["-m", "elf64lriscv", "--no-relax", "-nostdlib"]
