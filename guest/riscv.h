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
/* SBI timer extension ("TIME", function 0): a supervisor timer interrupt once time >= when
 * (taken when sie.STIE is set: always in U-mode, never in the kernel, which keeps SIE off). */
static inline void sbi_set_timer(u64 when) {
  register u64 a0 __asm__("a0") = when;
  register u64 a6 __asm__("a6") = 0;
  register u64 a7 __asm__("a7") = 0x54494D45;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
}
#endif
