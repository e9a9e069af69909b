# entry.S: OpenSBI jumps here in S-mode with a0 = hart id, a1 = device tree.
# Set up the boot stack, clear .bss, record the time CSR (the first instruction's timestamp,
# used to measure boot latency), and enter C.
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

    .section .bss.stack
    .balign 16
boot_stack:
    .space 65536
    .globl boot_stack_top
boot_stack_top:
