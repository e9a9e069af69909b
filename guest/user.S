# user.S: the only code of the kernel image that runs in U-mode. Linked into the user region
# next to the compiled modules; every transition to the kernel is an ecall (number in a7,
# SYS_* from abi.def through abi.h).
#include "abi.h"

    .section .utext, "ax"
    .balign 4

# osb_enter(vmctx, slots, fn): the kernel starts every call into wasm here. s0 = 0 ends the
# frame-pointer chain for the backtrace walk.
    .globl osb_enter
osb_enter:
    li s0, 0
    li ra, 0
    jalr a2
    li a7, SYS_EXIT
    ecall
1:  j 1b

# osb_trap(code): raise a wasm trap; the trap site is ra. No frame of its own.
    .globl osb_trap
osb_trap:
    li a7, SYS_TRAP
    ecall
1:  j 1b

# osb_hostcall(vmctx, func_index, slots). The kernel's fast path (trapvec.S) resumes at the
# caller's ra, skipping the ret; a trap in the host function is reported at the ecall.
    .globl osb_hostcall, osb_hostcall_ecall
osb_hostcall:
    li a7, SYS_HOSTCALL
osb_hostcall_ecall:
    ecall
    ret

# osb_memgrow(vmctx, delta_pages, memory) -> old pages or -1
    .globl osb_memgrow
osb_memgrow:
    li a7, SYS_MEMGROW
    ecall
    ret

# osb_tablegrow(vmctx, table, delta, init) -> old size or -1
    .globl osb_tablegrow
osb_tablegrow:
    li a7, SYS_TABLEGROW
    ecall
    ret
