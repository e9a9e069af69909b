# entry.S: OpenSBI jumps here in S-mode with a0 = hart id, a1 = device tree.
# Set up the boot stack, clear .bss, record the time CSR (the first instruction's timestamp,
# used to measure boot latency), and enter C.
#define CPU_STACK_END 16528 /* offsetof(struct cpu, stack) + CPU_STACK_BYTES, checked in smp.c */
    .section .text.entry
    .globl _start
_start:
    rdtime t2
    la sp, boot_stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  mv a2, t2
    call kmain
3:  wfi
    j 3b

# A secondary hart, started by the boot hart through SBI HSM (guest/smp.c): a0 = hart id,
# a1 = its struct cpu, whose stack ends CPU_STACK_END bytes in (a _Static_assert in smp.c).
    .section .text
    .globl secondary_entry
secondary_entry:
    li t0, CPU_STACK_END
    add sp, a1, t0
    mv a0, a1
    call ksecondary
4:  wfi
    j 4b

# A hart's scheduler loop entered for the first time through a kjmp context (smp.c cpu_init):
# its s1 holds the cpu.
    .globl cpu_trampoline
cpu_trampoline:
    mv a0, s1
    call scheduler
5:  wfi
    j 5b

    .section .bss.stack
    .balign 16
boot_stack:
    .space 65536
    .globl boot_stack_top
boot_stack_top:
