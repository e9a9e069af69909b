/* trap.c: what a trap from U-mode means, the wasm trap report (with the frame-pointer walk of
 * the user stack), and kernel_trap() for traps taken while the kernel itself runs. */
#include "riscv.h"
#include "proc.h"
#include "frame.h"

#define MAX_FRAMES 64 /* frames walked for a report; the host says when it was cut */

static int in_guard(u64 addr) {
  u64 bottom = USER_STACK_TOP - USER_STACK_SIZE;
  return addr >= bottom - USER_STACK_GUARD && addr < bottom;
}

/* The wasm address of a user address inside a memory slot (in its low guard: the wrapped
 * 32-bit address a folded access meant, guest/wrap.c). */
static u64 wasm_address(u64 va) {
  u64 off = (va - USER_MEM_BASE) % USER_MEM_SLOT;
  return off >= MEM_LOW_GUARD ? off - MEM_LOW_GUARD : off + (1UL << 32) - MEM_LOW_GUARD;
}

/* Whether pc is in a frameless leaf function (jit/lower.py `frameless`): it has no frame
 * record, and from its first instruction to its `ret` its caller's return address is in ra
 * and its caller's frame pointer in s0 (LLVM allocates neither there). */
static int leaf_pc(u64 pc) {
  return pc >= (u64)__wasm_leaf_start && pc < (u64)__wasm_leaf_end;
}

/* Whether the trap "interrupt" may be raised at pc: in a wasm function body (not an import
 * thunk, invoke shim, init code or user.S stub, whose pcs map to no wasm offset), with its
 * frame set up (a frameless leaf: anywhere). */
static int interrupt_point(u64 pc) {
  return pc >= (u64)__wasm_code_start && pc < (u64)__wasm_code_end &&
         (leaf_pc(pc) || frame_ready((const u16 *)pc, (const u16 *)__wasm_code_end));
}

/* Try again soon: the timer fires after 1..64 ticks of the 10 MHz clock (0.1..6.4 us, or
 * 100..6400 instructions under -icount shift=0), a pseudo-random delay so that the retries
 * cannot stay in step with a loop that spends part of each turn outside wasm code (a host
 * call, an import thunk). Also used to interrupt the next call into an interrupted store. */
void interrupt_rearm(struct store *s) {
  static u64 lcg = 0x2545F4914F6CDD1DUL;
  lcg = lcg * 6364136223846793005UL + 1442695040888963407UL;
  (void)s;
  sbi_set_timer(r_time() + 1 + (lcg >> 58));
  csr_set(sie, SIE_STIE);
  proc_timer_forget();
}

/* A load or store page fault from U-mode, before trapvec.S returns from user_run (tf holds
 * all the user registers): when memory_fault maps the page (a first touch of linear memory),
 * answer 1 and trapvec.S retries the access at once; else 0, and run.c's user_fault decides,
 * asking memory_fault again (the answer may differ only when another hart freed pages
 * meanwhile). */
int user_page_fault(struct trapframe *tf, u64 va) {
  struct store *s = (struct store *)((char *)tf - __builtin_offsetof(struct store, tf));
  klock_acquire();
  int fault = memory_fault(s, va);
  klock_release();
  return fault == FAULT_MAPPED;
}

/* Classify a trap that is not an ecall. RUN_OK means it was handled (timer) and the user
 * context resumes; otherwise the trap has been reported and its code is returned. */
int user_fault(struct store *s, u64 cause, u64 tval) {
  struct trapframe *tf = &s->tf;
  if (cause & CAUSE_INTERRUPT) {
    if ((cause & ~CAUSE_INTERRUPT) == IRQ_S_TIMER) {
      struct proc *p = myproc();
      if (p->kill) return RUN_KILLED;
      if (!s->interrupted && !proc_deadline_passed(p)) { /* the time slice, another's wake-up */
        proc_tick();
        return RUN_OK;
      }
      /* The deadline passed (or a retry came due): compiled code polls nothing, the trap
       * "interrupt" is raised here, at the interrupted pc, once that pc is a wasm
       * instruction whose function has its frame set up. */
      s->interrupted = 1;
      if (interrupt_point(tf->epc)) {
        csr_clear(sie, SIE_STIE);
        proc_timer_forget();
        report_trap(s, TRAP_INTERRUPT, tf->epc, 0, 0);
        return TRAP_INTERRUPT;
      }
      interrupt_rearm(s);
    }
    return RUN_OK;
  }
  switch (cause) {
  case CAUSE_LOAD_PAGE_FAULT:
  case CAUSE_STORE_PAGE_FAULT:
  case CAUSE_LOAD_ACCESS:
  case CAUSE_STORE_ACCESS: {
    int fault = memory_fault(s, tval);
    if (fault == FAULT_MAPPED) return RUN_OK; /* first touch of a page: retry the access */
    /* A folded access whose 32-bit address wrapped: in a memory's low guard (c < 0), or
     * beyond its size at a pc of the fold table (c > 0: did x + c wrap?). */
    struct memory *m =
        fault == FAULT_WRAPPED || fault == FAULT_OUT_OF_BOUNDS ? memory_at(s, tval) : 0;
    if (m && (fault == FAULT_WRAPPED || folded_pc(tf->epc))) {
      u64 addr;
      int code = wrapped_access(s, m, tf, &addr);
      if (code == RUN_OK) return RUN_OK;
      if (code != WRAP_NONE) {
        report_trap(s, code, tf->epc, addr, 1);
        return code;
      }
    }
    if (fault != FAULT_NOT_MEMORY) {
      int code = fault == FAULT_NO_MEMORY ? TRAP_OUT_OF_MEMORY : TRAP_OOB_MEMORY;
      report_trap(s, code, tf->epc, wasm_address(tval), 1);
      return code;
    }
    /* In the guard, or sp already below the stack (a frame larger than the guard). */
    if (in_guard(tval) || tf->regs[R_SP] < s->stack_bottom) {
      report_trap(s, TRAP_STACK, tf->epc, 0, 0);
      return TRAP_STACK;
    }
    report_trap(s, TRAP_MEMORY_FAULT, tf->epc, tval, 1);
    return TRAP_MEMORY_FAULT;
  }
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
  if (leaf_pc(pc)) { /* its caller's frame, whose record s0 still points to */
    buf_str(&b, "\nframe ");
    buf_hex(&b, s->tf.regs[R_RA]);
  }
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

/* The kernel touched linear memory while serving a host call (WASI reading or writing a
 * buffer): the first touch of a page faults here, as it would from wasm code. Map it and let
 * the access retry; when no page is free, abandon the host call (myproc()->access.escape, taken in
 * run_user) so that it ends in the trap "out of memory" instead of a kernel panic. */
static int host_call_fault(u64 cause, u64 tval) {
  struct store *s = myproc()->access.store;
  if (!s || !(myproc()->access.in_call || s->tf.hc_active)) return 0;
  if (cause != CAUSE_LOAD_PAGE_FAULT && cause != CAUSE_STORE_PAGE_FAULT) return 0;
  int fault = memory_fault(s, tval);
  if (fault == FAULT_MAPPED) return 1;
  if (fault != FAULT_NO_MEMORY) return 0; /* outside the memory: a kernel bug, panic */
  myproc()->access.addr = wasm_address(tval);
  myproc()->access.abandoned = 1;
  csr_clear(sstatus, SSTATUS_SPP); /* the trap set it; the next sret must still enter U-mode */
  if (s->tf.hc_active) hostcall_abandon(&s->tf, TRAP_OUT_OF_MEMORY);
  myproc()->access.in_call = 0;
  kjmp_go(&myproc()->access.escape);
}

/* A trap taken in S-mode. Expected: the timer (deadline while the kernel runs) and the first
 * touch of a linear memory page during a host call; anything else is a kernel bug: report it
 * with the registers and power off. */
void kernel_trap(u64 *regs) {
  u64 cause = csr_read(scause);
  if (cause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
    csr_clear(sie, SIE_STIE);
    proc_timer_forget();
    return;
  }
  if (host_call_fault(cause, csr_read(stval))) return;
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
