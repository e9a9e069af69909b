/* trap.c: what a trap from U-mode means, the wasm trap report (with the frame-pointer walk of
 * the user stack), and kernel_trap() for traps taken while the kernel itself runs. */
#include "riscv.h"
#include "store.h"

#define MAX_FRAMES 64 /* frames walked for a report; the host says when it was cut */

static int in_guard(u64 addr) {
  u64 bottom = USER_STACK_TOP - USER_STACK_SIZE;
  return addr >= bottom - USER_STACK_GUARD && addr < bottom;
}

/* Classify a trap that is not an ecall. RUN_OK means it was handled (timer) and the user
 * context resumes; otherwise the trap has been reported and its code is returned. */
int user_fault(struct store *s, u64 cause, u64 tval) {
  struct trapframe *tf = &s->tf;
  if (cause & CAUSE_INTERRUPT) {
    if ((cause & ~CAUSE_INTERRUPT) == IRQ_S_TIMER) {
      /* The deadline passed: ask every instance to stop at its next check. */
      csr_clear(sie, SIE_STIE);
      for (u32 i = 0; i < s->ninst; i++)
        if (s->inst[i].vmctx) vmctx_interrupt(s->inst[i].vmctx);
    }
    return RUN_OK;
  }
  switch (cause) {
  case CAUSE_LOAD_PAGE_FAULT:
  case CAUSE_STORE_PAGE_FAULT:
  case CAUSE_LOAD_ACCESS:
  case CAUSE_STORE_ACCESS:
    if (tval >= USER_MEM_BASE && tval < USER_MEM_BASE + MAX_MEMORIES * USER_MEM_RESERVE) {
      u64 base = USER_MEM_BASE + (tval - USER_MEM_BASE) / USER_MEM_RESERVE * USER_MEM_RESERVE;
      report_trap(s, TRAP_OOB_MEMORY, tf->epc, tval - base, 1);
      return TRAP_OOB_MEMORY;
    }
    /* In the guard, or sp already below the stack (a frame larger than the guard). */
    if (in_guard(tval) || tf->regs[R_SP] < s->stack_bottom) {
      report_trap(s, TRAP_STACK, tf->epc, 0, 0);
      return TRAP_STACK;
    }
    report_trap(s, TRAP_MEMORY_FAULT, tf->epc, tval, 1);
    return TRAP_MEMORY_FAULT;
  default:
    report_trap(s, TRAP_ILLEGAL_INSTRUCTION, tf->epc, cause, 1);
    return TRAP_ILLEGAL_INSTRUCTION;
  }
}

/* T frame: "trap CODE PC ADDR" then "frame PC" per frame, innermost first. */
void report_trap(struct store *s, int code, u64 pc, u64 addr, int has_addr) {
  struct buf b = {0};
  buf_str(&b, "trap ");
  buf_dec(&b, code);
  buf_char(&b, ' ');
  buf_hex(&b, pc);
  buf_char(&b, ' ');
  if (has_addr)
    buf_hex(&b, addr);
  else
    buf_char(&b, '-');
  buf_str(&b, "\nframe ");
  buf_hex(&b, pc);
  u64 fp = s->tf.regs[R_S0];
  for (int depth = 0; depth < MAX_FRAMES; depth++) {
    if (fp < s->stack_bottom + 16 || fp > USER_STACK_TOP || (fp & 7)) break;
    u64 ra = *(u64 *)(fp - 8);
    if (!ra) break;
    buf_str(&b, "\nframe ");
    buf_hex(&b, ra);
    fp = *(u64 *)(fp - 16);
  }
  buf_send(&b, 'T');
}

static const char *const regnames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6"};

/* A trap taken in S-mode. The only expected one is the timer (deadline while the kernel
 * runs); anything else is a kernel bug: report it with the registers and power off. */
void kernel_trap(u64 *regs) {
  u64 cause = csr_read(scause);
  if (cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
    csr_clear(sie, SIE_STIE);
    return;
  }
  struct buf b = {0};
  buf_str(&b, "kernel panic: trap in S-mode\nscause ");
  buf_hex(&b, cause);
  buf_str(&b, " sepc ");
  buf_hex(&b, csr_read(sepc));
  buf_str(&b, " stval ");
  buf_hex(&b, csr_read(stval));
  for (int i = 1; i < 32; i++) {
    buf_str(&b, i % 4 == 1 ? "\n" : "  ");
    buf_str(&b, regnames[i]);
    buf_char(&b, ' ');
    buf_hex(&b, regs[i]);
  }
  buf_send(&b, 'P');
  poweroff(70);
}
