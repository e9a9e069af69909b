/* riscv.h: CSR access for S-mode (RISC-V privileged spec, chapter "Supervisor-Level ISA"). */
#ifndef RISCV_H
#define RISCV_H
#include "osb.h"

#define csr_read(name) ({ u64 v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"((u64)(v)))
#define csr_set(name, v) __asm__ volatile("csrs " #name ", %0" ::"r"((u64)(v)))
#define csr_clear(name, v) __asm__ volatile("csrc " #name ", %0" ::"r"((u64)(v)))

#define SSTATUS_SPP (1L << 8)  /* previous mode: 1 = S, 0 = U */
#define SSTATUS_SPIE (1L << 5) /* interrupts enabled after sret */
#define SSTATUS_SIE (1L << 1)
#define SSTATUS_SUM (1L << 18) /* S-mode may access U pages */
#define SSTATUS_FS_INITIAL (1L << 13)
#define SSTATUS_VS_INITIAL (1L << 9) /* vector unit on (read-only 0 without V) */
#define SSTATUS_VS_CLEAN (2L << 9)   /* in use, unchanged since the kernel last set it */
#define SSTATUS_VS (3L << 9)         /* off, initial, clean, dirty */
#define SIE_STIE (1L << 5)
#define SIE_SSIE (1L << 1)  /* supervisor software interrupt: an IPI (SBI sPI) */
#define SIP_SSIP (1L << 1)

/* scause values */
#define CAUSE_INTERRUPT (1UL << 63)
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_ECALL_U 8
#define CAUSE_INSN_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_INSN_ACCESS 1
#define IRQ_S_TIMER 5

#define SATP_SV48 (9UL << 60)

static inline void sfence_vma(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }
/* Forget cached translations of one page (after a PTE for it became valid). */
static inline void sfence_vma_page(u64 va) {
  __asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}
static inline u64 r_time(void) { u64 t; __asm__ volatile("rdtime %0" : "=r"(t)); return t; }
/* An SBI call (the SBI spec's calling convention: extension in a7, function in a6,
 * arguments in a0..a2; the error code comes back in a0). */
static inline long sbi_call(u64 ext, u64 fid, u64 a0, u64 a1, u64 a2) {
  register u64 r0 __asm__("a0") = a0;
  register u64 r1 __asm__("a1") = a1;
  register u64 r2 __asm__("a2") = a2;
  register u64 r6 __asm__("a6") = fid;
  register u64 r7 __asm__("a7") = ext;
  __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
  return (long)r0;
}

/* SBI timer extension ("TIME", function 0): a supervisor timer interrupt once time >= when
 * (taken when sie.STIE is set: always in U-mode, never in the kernel, which keeps SIE off). */
static inline void sbi_set_timer(u64 when) { sbi_call(0x54494D45, 0, when, 0, 0); }

/* The supervisor set-up every hart makes before it runs anything (kmain, ksecondary): the
 * trap vector, sscratch 0 (the kernel runs), user memory reachable (SUM), and FS and VS on
 * for U-mode's float and vector code. The kernel is built without V, so the vector registers
 * need no saving across traps, host calls or the timer; only a switch to another program
 * saves them (proc.c, fpstate.S; ARCHITECTURE, "SIMD"). OpenSBI hands over VS as dirty; it is
 * set to initial (the registers hold their reset values) so that it says whether any program
 * has used the vector unit since boot: the CPU makes it dirty at the first vector
 * instruction, and the debugger shows the vector registers only then. */
static inline void hart_csr_init(void) {
  csr_write(stvec, (u64)trap_entry);
  csr_write(sscratch, 0);
  csr_clear(sstatus, SSTATUS_VS);
  csr_set(sstatus, SSTATUS_SUM | SSTATUS_FS_INITIAL | SSTATUS_VS_INITIAL);
}
#endif
