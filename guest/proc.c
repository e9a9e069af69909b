/* proc.c: processes and the scheduler (proc.h says what a process is).
 *
 * Switching: a process gives up the hart only inside the kernel (a host call that waits, the
 * timer's tick, its end), by saving its kernel context (kjmp_set: callee-saved registers, sp,
 * ra) and jumping into the next one's (kjmp_go). Its user registers are already in its store's
 * trapframe then; its float and vector registers are still in the hart and are saved here. A
 * new process starts in proc_start on its own kernel stack. */
#include "riscv.h"
#include "proc.h"

/* Process 0 (the command script) with the kernel's data; the other slots are large (a store, a
 * descriptor table, argument lists, a kernel stack) and are cleared when taken, so they live
 * in .noinit, which the boot does not clear (image.ld), to keep the boot as fast as before. */
static struct proc proc0;
static struct proc slot[MAX_PROCS - 1] __attribute__((section(".noinit")));
static struct store slot_store[MAX_PROCS - 1] __attribute__((section(".noinit")));
static u8 kstack[MAX_PROCS - 1][KSTACK_BYTES] __attribute__((section(".noinit"), aligned(16)));

u32 proc_live; /* taken slots: with one, nothing else can ever run (proc.h proc_yield) */

static struct sched {
  struct proc *table[MAX_PROCS]; /* NULL: a free slot; table[0] is process 0 */
  struct proc *current;
  u64 armed;                     /* the time the timer is set for (~0: off) */
  u32 next_pid;
  int vec_used;                  /* some process's vector registers were ever saved */
  int main_status, have_main, first_failure; /* the run's exit status (proc_wait_all) */
} sched = {.current = &proc0, .next_pid = 1, .armed = ~0UL};

static const struct fpstate zero_fp; /* what a process that never used vectors finds in them */

struct proc *myproc(void) { return sched.current; }

void proc_boot(void) {
  proc0.state = P_RUNNABLE;
  proc0.stdin_pipe = proc0.stdout_pipe = -1;
  fdtable_init(&proc0.fdt);
  sched.table[0] = &proc0;
  proc_live = 1;
}

/* Processes blocked until a time that has come become runnable, first in line (`boost`): a
 * program that slept gets the hart at once, so its wake-up is late by a switch, not by the
 * slices of every CPU-bound program. Whether any woke. */
static int wake_due(void) {
  u64 now = r_time();
  int woke = 0;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && q->wake && now >= q->wake)
      q->state = P_RUNNABLE, q->chan = NULL, q->wake = 0, q->boost = woke = 1;
  }
  return woke;
}

int proc_more_runnable(void) {
  if (proc_live == 1) return 0; /* only the current process: the common single-program run */
  wake_due();
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q != sched.current && q->state == P_RUNNABLE) return 1;
  }
  return 0;
}

static u32 index_of(const struct proc *p) { return p == &proc0 ? 0 : (u32)(p - slot) + 1; }

/* The next runnable process: one that just woke from a sleep, else round robin after the
 * current one, the current one last. */
static struct proc *pick(void) {
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_RUNNABLE && q->boost) return q->boost = 0, q;
  }
  u32 start = index_of(sched.current);
  for (u32 k = 1; k <= MAX_PROCS; k++) {
    struct proc *q = sched.table[(start + k) % MAX_PROCS];
    if (q && q->state == P_RUNNABLE) return q;
  }
  return NULL;
}

/* The timer: the current process's deadline, the end of its time slice when another process
 * waits for the hart, and the earliest wake-up of a sleeping one; off when there is none. */
void proc_timer_arm(void) {
  struct proc *p = sched.current;
  u64 when = p->kill ? r_time() : p->deadline ? p->deadline : ~0UL; /* killed: at once */
  int others = 0;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (!q || q == p) continue;
    if (q->state == P_RUNNABLE) others = 1;
    if (q->state == P_BLOCKED && q->wake && q->wake < when) when = q->wake;
  }
  if (others && p->since + SLICE_TICKS < when) when = p->since + SLICE_TICKS;
  /* An SBI call costs hundreds of instructions: a timer already set no later than needed is
   * kept (when it fires early, proc_tick finds nothing due and sets it again). */
  if (sched.armed && sched.armed <= when) return;
  sched.armed = when;
  if (when == ~0UL) {
    csr_clear(sie, SIE_STIE);
    return;
  }
  sbi_set_timer(when);
  csr_set(sie, SIE_STIE);
}

/* Someone else set the timer (trap.c's interrupt retries, idle): the next arming must call SBI. */
void proc_timer_forget(void) { sched.armed = 0; }

int proc_deadline_passed(struct proc *p) { return p->deadline && r_time() >= p->deadline; }

static void switch_to(struct proc *next) {
  struct proc *p = sched.current;
  if (next == p) return;
  u64 now = r_time();
  p->ticks += now - p->since;
  fp_save(&p->fp);
  if ((csr_read(sstatus) & SSTATUS_VS) == SSTATUS_VS) { /* dirty: this process used them */
    vec_save(&p->fp);
    p->fp.vec = sched.vec_used = 1;
  }
  p->satp = csr_read(satp);
  if (kjmp_set(&p->ctx)) return; /* switched back to p */
  sched.current = next;
  next->since = now;
  csr_write(satp, next->satp);
  sfence_vma();
  fp_restore(&next->fp);
  if (sched.vec_used) vec_restore(next->fp.vec ? &next->fp : &zero_fp);
  proc_timer_arm();
  kjmp_go(&next->ctx);
}

/* Nothing can run: wait for the earliest sleeper's time. If nobody sleeps with a time, every
 * process waits on another (a pipe cycle, a reader whose writer never comes): that cannot
 * end, so they are killed. */
static void idle(void) {
  u64 first = ~0UL;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && q->wake && q->wake < first) first = q->wake;
  }
  if (first == ~0UL) {
    for (u32 i = 1; i < MAX_PROCS; i++) {
      struct proc *q = sched.table[i];
      if (q && q->state == P_BLOCKED) q->kill = 1, q->state = P_RUNNABLE, q->chan = NULL;
    }
    return;
  }
  sbi_set_timer(first);
  csr_set(sie, SIE_STIE);
  proc_timer_forget();
  while (r_time() < first) __asm__ volatile("wfi");
}

/* Give the hart to the next runnable process (the current one if it is the only one). */
static void schedule(void) {
  for (;;) {
    wake_due();
    struct proc *next = pick();
    if (next) return switch_to(next);
    idle();
  }
}

void proc_yield_others(void) {
  if (proc_more_runnable()) schedule();
}

int proc_yield_ok(void) {
  proc_yield_others();
  return RUN_OK;
}

void proc_sleep(const void *chan, u64 wake) {
  struct proc *p = sched.current;
  p->state = P_BLOCKED;
  p->chan = chan;
  p->wake = wake;
  schedule();
}

void proc_wakeup(const void *chan) {
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && chan && q->chan == chan)
      q->state = P_RUNNABLE, q->chan = NULL, q->wake = 0;
  }
}

/* The timer fired in U-mode (not the deadline): the slice is over, or a sleeper is due. The
 * timer stays set at that time (it fired) until armed again. */
void proc_tick(void) {
  struct proc *p = sched.current;
  proc_timer_forget();
  if (r_time() - p->since >= SLICE_TICKS || wake_due()) proc_yield();
  proc_timer_arm();
}

/* A free slot (reaping the processes that ended); the script waits while all are taken. */
static u32 free_slot(void) {
  for (;;) {
    for (u32 i = 1; i < MAX_PROCS; i++) {
      struct proc *q = sched.table[i];
      if (q && q->state == P_DONE) sched.table[i] = NULL, proc_live--;
      if (!sched.table[i]) return i;
    }
    proc_sleep(&sched, 0);
  }
}

struct proc *proc_new(u32 module, const char *name, u64 len) {
  u32 i = free_slot();
  struct proc *p = &slot[i - 1];
  memset(p, 0, sizeof *p);
  p->pid = sched.next_pid++;
  if (len >= sizeof p->name) len = sizeof p->name - 1;
  memcpy(p->name, name, len);
  p->module = module;
  p->store = &slot_store[i - 1];
  p->stdin_pipe = p->stdout_pipe = -1;
  p->mem_limit = NO_MEM_LIMIT;
  p->state = P_SETUP;
  fdtable_init(&p->fdt);
  sched.table[i] = p;
  proc_live++;
  return p;
}

/* What a process's end means for the run's status: a trap 134 (SIGABRT's status, as wasmtime
 * run), a kernel-side refusal 1, killed 137 (SIGKILL's). */
static int end_status(const struct proc *p) {
  static const int by_end[] = {[END_TRAP] = 134, [END_ERROR] = 1, [END_KILLED] = 137};
  return p->end == END_EXIT ? p->status : by_end[p->end];
}

/* The E frame: "PID exit STATUS", "PID trap CODE", "PID error" or "PID killed". */
static void report_end(struct proc *p) {
  static const char *const words[] = {"exit", "trap", "error", "killed"};
  struct buf b = {0};
  buf_dec(&b, p->pid);
  buf_char(&b, ' ');
  buf_str(&b, words[p->end]);
  if (p->end == END_EXIT || p->end == END_TRAP) {
    buf_char(&b, ' ');
    buf_dec(&b, p->status);
  }
  buf_send(&b, 'E');
}

static void proc_end(struct proc *p, int code) __attribute__((noreturn));
static void proc_end(struct proc *p, int code) {
  p->end = p->kill || code == RUN_KILLED ? END_KILLED
           : code == RUN_OK || code == RUN_EXIT ? END_EXIT
           : code == RUN_FAILED ? END_ERROR : END_TRAP;
  p->status = code == RUN_EXIT ? p->wasi.exit_status : code >= 0 ? code : 0;
  report_end(p);
  int status = end_status(p);
  if (p->main) sched.main_status = status, sched.have_main = 1;
  if (status && !sched.first_failure) sched.first_failure = status;
  fdtable_close_all(&p->fdt);
  csr_write(satp, 0); /* Bare: never run on a page table being freed */
  sfence_vma();
  if (p->store->root) store_destroy(p->store);
  p->satp = 0;
  p->state = P_DONE;
  proc_wakeup(&sched);
  schedule();
  panic("a process ran after its end");
}

/* A new process's first kernel code, on its own stack: make its store, instantiate its
 * module, run _start. */
static void proc_start(void) __attribute__((noreturn));
static void proc_start(void) {
  struct proc *p = sched.current;
  struct store *s = p->store;
  int code = RUN_FAILED;
  if (store_init(s) < 0) {
    frame('L', "out of memory creating a store", 30);
  } else {
    p->satp = csr_read(satp);
    s->fuel = p->fuel;
    s->mem_limit = p->mem_limit;
    code = instantiate(s, p->module);
    struct instance *inst = &s->inst[0];
    if (code == RUN_OK && find_export(inst->mod, "_start", 6))
      code = invoke(s, inst, "_start", 6, NULL, 0);
  }
  proc_end(p, code);
}

int proc_spawn(struct proc *p) {
  if (p->stdin_pipe >= 0) fdtable_pipe(&p->fdt, 0, p->stdin_pipe);
  if (p->stdout_pipe >= 0) fdtable_pipe(&p->fdt, 1, p->stdout_pipe);
  u32 i = index_of(p);
  p->ctx.regs[0] = (u64)proc_start;                 /* ra */
  p->ctx.regs[1] = (u64)(kstack[i - 1] + KSTACK_BYTES); /* sp */
  if (p->deadline) p->deadline += r_time(); /* given relative to the start */
  p->state = P_RUNNABLE;
  return RUN_OK;
}

int proc_wait_all(void) {
  for (;;) {
    int live = 0;
    for (u32 i = 1; i < MAX_PROCS; i++) {
      struct proc *q = sched.table[i];
      if (q && q->state == P_DONE) sched.table[i] = NULL, proc_live--;
      else if (q) live = 1;
    }
    if (!live) break;
    proc_sleep(&sched, 0);
  }
  return sched.have_main ? sched.main_status : sched.first_failure;
}
