#!/usr/bin/env bash
# Installs what osbuild needs on a Debian machine: the system packages that are missing
# (QEMU for RISC-V, clang, lld) and a virtual environment with the package and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v qemu-system-riscv64 >/dev/null || need+=(qemu-system-misc opensbi)
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v clang >/dev/null || need+=(clang)
command -v ld.lld >/dev/null || need+=(lld)
[ -f /usr/lib/wasm32-wasi/libc.a ] || need+=(wasi-libc)
ls /usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 \
    || need+=(libclang-rt-14-dev-wasm32)
# bench/native_ratio.py: native bare-metal builds of the benchmark programs
[ -f /usr/lib/picolibc/riscv64-unknown-elf/include/stdio.h ] || need+=(picolibc-riscv64-unknown-elf)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
# The package's byte code, compiled now: an editable install compiles none, and where
# PYTHONDONTWRITEBYTECODE is set Python would otherwise compile osbuild's modules again on every
# run (~40 ms of each `osbuild run`, issue 14). A module edited later is compiled in memory
# until it is cached again (by a run without that variable, or by running this again).
.venv/bin/python -m compileall -q -j 0 pkg jit boot host >/dev/null
echo "setup: done (.venv/bin/osbuild)"
