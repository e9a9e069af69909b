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

# osb_gc_alloc(vmctx, nbytes) -> address of a zeroed GC object, or 0 (jit/gc.py)
    .globl osb_gc_alloc
osb_gc_alloc:
    li a7, SYS_GC_ALLOC
    ecall
    ret

# osb_throw(tag, nbytes): throw an exception whose payload the caller wrote to the spill
# buffer; osb_throw_ref(exn): throw an exception object again. Neither returns: the kernel
# resumes the user context in a handler (osb_longjmp) or reports the trap at ra - 4.
    .globl osb_throw, osb_throw_ref
osb_throw:
    li a7, SYS_THROW
    ecall
1:  j 1b
osb_throw_ref:
    li a7, SYS_THROW_REF
    ecall
1:  j 1b

# osb_setjmp(handler) -> 0, and later clause + 1 when the kernel hands the handler an
# exception: saves what the C calling convention says survives a call (ra, sp, s0..s11,
# fs0..fs11) in the record's jmpbuf (struct handler, abi.def: jmpbuf at 32).
    .globl osb_setjmp, osb_longjmp
osb_setjmp:
    sd ra, 32(a0)
    sd sp, 40(a0)
    sd s0, 48(a0)
    sd s1, 56(a0)
    sd s2, 64(a0)
    sd s3, 72(a0)
    sd s4, 80(a0)
    sd s5, 88(a0)
    sd s6, 96(a0)
    sd s7, 104(a0)
    sd s8, 112(a0)
    sd s9, 120(a0)
    sd s10, 128(a0)
    sd s11, 136(a0)
    fsd fs0, 144(a0)
    fsd fs1, 152(a0)
    fsd fs2, 160(a0)
    fsd fs3, 168(a0)
    fsd fs4, 176(a0)
    fsd fs5, 184(a0)
    fsd fs6, 192(a0)
    fsd fs7, 200(a0)
    fsd fs8, 208(a0)
    fsd fs9, 216(a0)
    fsd fs10, 224(a0)
    fsd fs11, 232(a0)
    li a0, 0
    ret

# osb_longjmp(handler, value): where the kernel resumes a caught exception: restores the
# registers osb_setjmp saved and returns from it again with value.
osb_longjmp:
    ld ra, 32(a0)
    ld sp, 40(a0)
    ld s0, 48(a0)
    ld s1, 56(a0)
    ld s2, 64(a0)
    ld s3, 72(a0)
    ld s4, 80(a0)
    ld s5, 88(a0)
    ld s6, 96(a0)
    ld s7, 104(a0)
    ld s8, 112(a0)
    ld s9, 120(a0)
    ld s10, 128(a0)
    ld s11, 136(a0)
    fld fs0, 144(a0)
    fld fs1, 152(a0)
    fld fs2, 160(a0)
    fld fs3, 168(a0)
    fld fs4, 176(a0)
    fld fs5, 184(a0)
    fld fs6, 192(a0)
    fld fs7, 200(a0)
    fld fs8, 208(a0)
    fld fs9, 216(a0)
    fld fs10, 224(a0)
    fld fs11, 232(a0)
    mv a0, a1
    ret
