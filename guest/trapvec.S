# trapvec.S: switching between the kernel and a user context.
#
# user_run(tf) saves the kernel's callee-saved registers on the kernel stack, remembers the
# kernel sp in tf->kernel_sp, puts tf in sscratch and enters U-mode at tf->epc with the user
# registers of tf. Any trap from U-mode arrives at trap_entry, which saves the user registers
# back into tf and returns from user_run: the C side decides what happens next.
# sscratch is 0 while the kernel runs, so trap_entry can tell a kernel trap from a user trap.

#
# Host calls (ecall with a7 = SYS_HOSTCALL from osb_hostcall, a C call site) take a fast path
# when the calling instance is the one cached in tf (hc_vmctx): only what the C calling
# convention and a trap report need is saved (the user's ra, sp, s0), the host function runs
# on the kernel stack and the user context resumes at its ra, as if osb_hostcall had
# returned. The callee-saved registers are preserved by the C code itself; the caller-saved
# ones are dead at a call. Everything else (faults, interrupts, other system calls, a host call
# of another instance) saves all registers and returns from user_run to run.c.
#include "abi.h"

#define TF_EPC (32*8)
#define TF_KSP (33*8)
#define TF_HC_VMCTX (34*8)
#define TF_HC_NIMPORTS (35*8)
#define TF_HC_BIND (36*8)
#define TF_HC_STORE (37*8)
#define TF_HC_ACTIVE (38*8)
#define TF_HC_RESULT (39*8)
#define UR_TF 104 /* user_run's frame: the slot holding tf (after the 13 saved registers) */
#define CAUSE_ECALL_U 8
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

    .section .text
    .globl user_run
    .balign 4
user_run:
    addi sp, sp, -112
    sd ra, 0(sp)
    sd s0, 8(sp)
    sd s1, 16(sp)
    sd s2, 24(sp)
    sd s3, 32(sp)
    sd s4, 40(sp)
    sd s5, 48(sp)
    sd s6, 56(sp)
    sd s7, 64(sp)
    sd s8, 72(sp)
    sd s9, 80(sp)
    sd s10, 88(sp)
    sd s11, 96(sp)
    sd a0, UR_TF(sp)
    sd sp, TF_KSP(a0)
user_enter:                       # a0 = tf, sp = user_run's frame
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    csrw sscratch, a0
    # restore user registers; a0 (x10) last since it holds tf
    ld x1, 8(a0)
    ld x2, 16(a0)
    ld x3, 24(a0)
    ld x4, 32(a0)
    ld x5, 40(a0)
    ld x6, 48(a0)
    ld x7, 56(a0)
    ld x8, 64(a0)
    ld x9, 72(a0)
    ld x11, 88(a0)
    ld x12, 96(a0)
    ld x13, 104(a0)
    ld x14, 112(a0)
    ld x15, 120(a0)
    ld x16, 128(a0)
    ld x17, 136(a0)
    ld x18, 144(a0)
    ld x19, 152(a0)
    ld x20, 160(a0)
    ld x21, 168(a0)
    ld x22, 176(a0)
    ld x23, 184(a0)
    ld x24, 192(a0)
    ld x25, 200(a0)
    ld x26, 208(a0)
    ld x27, 216(a0)
    ld x28, 224(a0)
    ld x29, 232(a0)
    ld x30, 240(a0)
    ld x31, 248(a0)
    ld x10, 80(a0)
    sret

    .globl trap_entry
    .balign 4
trap_entry:
    csrrw sp, sscratch, sp        # sp = tf (user trap) or 0 (kernel trap)
    beqz sp, kernel_trap_entry
    sd x5, 40(sp)
    csrr t0, scause
    addi t0, t0, -CAUSE_ECALL_U
    bnez t0, save_all
    addi t0, a7, -SYS_HOSTCALL
    bnez t0, save_all
    # A host call: from here on the caller-saved registers are dead (a C call site).
    ld t0, TF_HC_VMCTX(sp)
    bne a0, t0, save_all          # another instance: run.c looks it up and caches it
    ld t0, TF_HC_NIMPORTS(sp)
    bgeu a1, t0, save_all
    ld t0, TF_HC_BIND(sp)
    slli t1, a1, 3
    add t0, t0, t1
    ld t0, 0(t0)
    beqz t0, save_all             # not a host import: run.c reports it
    sd ra, 8(sp)                  # the resume point, and a trap report's frame chain
    sd s0, 64(sp)
    csrrw t1, sscratch, zero      # the user sp; sscratch = 0 while the kernel runs
    sd t1, 16(sp)
    sd sp, TF_HC_ACTIVE(sp)
    mv a1, a0                     # fn(store, vmctx, slots)
    ld a0, TF_HC_STORE(sp)
    ld sp, TF_KSP(sp)             # below user_run's frame, which holds tf at UR_TF
    jalr t0
    ld t1, UR_TF(sp)
    sd zero, TF_HC_ACTIVE(t1)
    addi a0, a0, 1                # RUN_OK (-1, asserted in run.c): resume at the user's ra
    bnez a0, hostcall_failed
    ld t0, 8(t1)
    csrw sepc, t0
    ld sp, 16(t1)
    csrw sscratch, t1
    sret

# The host function did not return RUN_OK (a trap, proc_exit): t1 = tf, a0 = its result + 1.
# Return from user_run as a trap from osb_hostcall's ecall would; run.c reads hc_result.
hostcall_failed:
    sd a0, TF_HC_RESULT(t1)
    la t0, osb_hostcall_ecall
    sd t0, TF_EPC(t1)
    j user_return

# hostcall_abandon(tf, code): kernel_trap gives up a fast-path host call (trap.c).
    .globl hostcall_abandon
hostcall_abandon:
    mv t1, a0
    ld sp, TF_KSP(t1)
    sd zero, TF_HC_ACTIVE(t1)
    addi a0, a1, 1
    j hostcall_failed

save_all:
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    csrr t0, sscratch             # the user sp
    sd t0, 16(sp)
    csrr t0, sepc
    sd t0, TF_EPC(sp)
    csrw sscratch, zero
    ld sp, TF_KSP(sp)
    # A page fault: most are the first touch of a linear memory page, which trap.c
    # `user_page_fault` maps; then the access is retried at once, without the return through
    # user_run to run.c and back (about 85 instructions a fault). Otherwise (or when that
    # cannot map it) run.c's user_fault decides, as for any other trap.
    csrr t0, scause
    addi t1, t0, -CAUSE_LOAD_PAGE_FAULT
    beqz t1, 1f
    addi t1, t0, -CAUSE_STORE_PAGE_FAULT
    bnez t1, user_return
1:  ld a0, UR_TF(sp)
    csrr a1, stval
    call user_page_fault
    beqz a0, user_return
    ld a0, UR_TF(sp)
    j user_enter
user_return:
    ld ra, 0(sp)
    ld s0, 8(sp)
    ld s1, 16(sp)
    ld s2, 24(sp)
    ld s3, 32(sp)
    ld s4, 40(sp)
    ld s5, 48(sp)
    ld s6, 56(sp)
    ld s7, 64(sp)
    ld s8, 72(sp)
    ld s9, 80(sp)
    ld s10, 88(sp)
    ld s11, 96(sp)
    addi sp, sp, 112
    ret                           # back from user_run

# A trap while the kernel runs is a kernel bug (or the timer): save everything on the
# kernel stack and let kernel_trap() decide.
kernel_trap_entry:
    csrrw sp, sscratch, sp        # restore the kernel sp, sscratch = 0 again
    addi sp, sp, -256
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    addi t0, sp, 256
    sd t0, 16(sp)
    mv a0, sp
    call kernel_trap
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    addi sp, sp, 256
    sret

# kjmp_set(j) saves the callee-saved registers, sp and ra in j and returns 0; a later
# kjmp_go(j) returns 1 from that kjmp_set, abandoning everything called since (setjmp and
# longjmp, for the kernel only). run_user uses it to abandon a host call whose access to
# linear memory cannot be served: the page fault arrives in kernel_trap, deep inside the call.
    .globl kjmp_set
    .balign 4
kjmp_set:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    li a0, 0
    ret

    .globl kjmp_go
    .balign 4
kjmp_go:
    ld ra, 0(a0)
    ld sp, 8(a0)
    ld s0, 16(a0)
    ld s1, 24(a0)
    ld s2, 32(a0)
    ld s3, 40(a0)
    ld s4, 48(a0)
    ld s5, 56(a0)
    ld s6, 64(a0)
    ld s7, 72(a0)
    ld s8, 80(a0)
    ld s9, 88(a0)
    ld s10, 96(a0)
    ld s11, 104(a0)
    li a0, 1
    ret
