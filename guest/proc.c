/* proc.c: processes and the scheduler (proc.h says what a process is), on every hart.
 *
 * Each hart runs a scheduler loop (scheduler()) on a stack of its own: it picks a ready
 * process, switches into its kernel context (kjmp_go) and gets the hart back when the process
 * gives it up, which happens only inside the kernel (a host call that waits, the timer's tick,
 * its end: sched()). Its user registers are already in its store's trapframe then; its float
 * and vector registers, still in the hart, are saved here. A new process starts in proc_start
 * on its own kernel stack; process 0 (the command script) runs on the boot stack and gets into
 * the scheduler only when it waits.
 *
 * One lock (smp.c's big kernel lock) covers all kernel data: a hart holds it whenever it runs
 * kernel code and lets go only to run U-mode code or to wait for work (wfi), so nothing in the
 * kernel needs finer locking, and a switch happens with the lock held (as in xv6). A hart that
 * waits is woken by the timer (sleepers, the host's requests every slice) or by an IPI from a
 * hart that made a process ready. */
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
  u32 next_pid;
  int vec_used;                  /* some process's vector registers were ever saved */
  int main_status, have_main, first_failure; /* the run's exit status (proc_wait_all) */
} sched = {.next_pid = 1};

static const struct fpstate zero_fp; /* what a process that never used vectors finds in them */

/* The process table the host's debugger reads, and its requests (abi.def, osb_procs). */
struct osb_procs osb_procs = {.version = 1};
_Static_assert(DEBUG_MAX_PROCS == MAX_PROCS, "abi.def DEBUG_MAX_PROCS");

/* The running process: the one whose kernel stack this is (process 0's is the boot stack; a
 * hart's scheduler stack counts as process 0's, which nothing there depends on). */
struct proc *myproc(void) {
  u64 sp;
  __asm__("mv %0, sp" : "=r"(sp));
  sp -= (u64)kstack;
  return sp < sizeof kstack ? &slot[sp / KSTACK_BYTES] : &proc0;
}

static u32 index_of(const struct proc *p) { return p == &proc0 ? 0 : (u32)(p - slot) + 1; }

/* Every slot's row of osb_procs, from the table (no user memory is read). */
static void publish_all(void) {
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    struct osb_proc_row *r = &osb_procs.row[i];
    if (!q) {
      r->state = P_FREE;
      continue;
    }
    r->pid = q->pid, r->state = (u32)q->state, r->module = q->module;
    r->stopped = (u32)q->stopped, r->end = (u32)q->end, r->status = (u32)q->status;
    r->ticks = q->ticks;
    r->hart = q->cpu ? (u32)q->cpu->hartid + 1 : 0;
    if (q->cpu) osb_procs.current = q->pid; /* one of those running */
  }
}

/* The running process's memory and fuel, read through its own address space (active; not
 * once it has ended and its store is gone). */
static void publish_usage(struct proc *p) {
  struct osb_proc_row *r = &osb_procs.row[index_of(p)];
  if (p == &proc0 || p->state == P_DONE || !p->store->root) return;
  struct instance *inst = p->store->ninst ? &p->store->inst[0] : NULL;
  struct memory *m = inst && inst->vmctx ? vmctx_memory(inst->vmctx) : NULL;
  r->pages = m ? m->pages : 0;
  r->fuel = inst && inst->vmctx ? vmctx_header(inst->vmctx)->fuel : 0;
}

void proc_boot(struct cpu *c) {
  proc0.state = P_RUNNABLE;
  proc0.stdin_pipe = proc0.stdout_pipe = -1;
  proc0.cpu = c; /* running: it is the boot code */
  fdtable_init(&proc0.fdt);
  sched.table[0] = &proc0;
  proc_live = 1;
}

/* Whether q may get a hart: runnable, on none yet, and not stopped by the host. */
static int ready(const struct proc *q) {
  return q && q->state == P_RUNNABLE && !q->cpu && !q->stopped;
}

/* q became ready: a hart waiting for work (if any) is told. */
static void made_ready(struct proc *q) {
  if (ready(q)) cpu_kick();
}

/* Processes blocked until a time that has come become runnable, first in line (`boost`): a
 * program that slept gets a hart at once, so its wake-up is late by a switch, not by the
 * slices of every CPU-bound program. Whether any woke. */
static int wake_due(void) {
  u64 now = r_time();
  int woke = 0;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && q->wake && now >= q->wake) {
      q->state = P_RUNNABLE, q->chan = NULL, q->wake = 0, q->boost = woke = 1;
      made_ready(q);
    }
  }
  return woke;
}

/* Whether a process that is ready waits for a hart. */
int proc_more_runnable(void) {
  if (proc_live == 1) return 0; /* only process 0: the common single-program run */
  wake_due();
  for (u32 i = 0; i < MAX_PROCS; i++)
    if (ready(sched.table[i])) return 1;
  return 0;
}

/* The next process for a hart: one that just woke from a sleep, else round robin from after
 * the last one picked. */
static struct proc *pick(void) {
  static u32 last;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (ready(q) && q->boost) return q->boost = 0, last = i, q;
  }
  for (u32 k = 1; k <= MAX_PROCS; k++) {
    u32 i = (last + k) % MAX_PROCS;
    if (ready(sched.table[i])) return last = i, sched.table[i];
  }
  return NULL;
}

/* The hart's timer for its process p: p's deadline, the end of its time slice while other
 * processes exist (also when the host's requests are served), the earliest wake-up of a
 * sleeping one; off when there is none. */
void proc_timer_arm(void) {
  struct proc *p = myproc();
  struct cpu *c = p->cpu;
  u64 when = p->kill ? r_time() : p->deadline ? p->deadline : ~0UL; /* killed: at once */
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q != p && q->state == P_BLOCKED && q->wake && q->wake < when) when = q->wake;
  }
  if (proc_live > 1 && p->slice_start + SLICE_TICKS < when) when = p->slice_start + SLICE_TICKS;
  /* An SBI call costs hundreds of instructions: a timer already set no later than needed is
   * kept (when it fires early, proc_tick finds nothing due and sets it again). */
  if (c->armed && c->armed <= when) return;
  c->armed = when;
  if (when == ~0UL) {
    csr_clear(sie, SIE_STIE);
    return;
  }
  sbi_set_timer(when);
  csr_set(sie, SIE_STIE);
}

/* Someone else set the timer (trap.c's interrupt retries, the idle loop): the next arming
 * must call SBI. */
void proc_timer_forget(void) { myproc()->cpu->armed = 0; }

int proc_deadline_passed(struct proc *p) { return p->deadline && r_time() >= p->deadline; }

/* Give the hart back to its scheduler; the process's state says whether it is picked again.
 * Returns when it is (on whichever hart). */
static void sched_out(void) {
  struct proc *p = myproc();
  struct cpu *c = p->cpu;
  p->ticks += r_time() - p->since;
  publish_usage(p);
  fp_save(&p->fp);
  if ((csr_read(sstatus) & SSTATUS_VS) == SSTATUS_VS) { /* dirty: this process used them */
    vec_save(&p->fp);
    p->fp.vec = sched.vec_used = 1;
  }
  p->satp = csr_read(satp);
  if (kjmp_set(&p->ctx)) return proc_timer_arm(); /* picked again: its times on this hart */
  p->cpu = NULL; /* (the lock is held: nobody picks p before the switch) */
  kjmp_go(&c->ctx);
}

/* Run process p on hart c (from c's scheduler loop) until it gives the hart back. */
static void run_on(struct cpu *c, struct proc *p) {
  p->cpu = c;
  c->armed = 0; /* whatever the timer was set for, p's times decide now */
  p->since = p->slice_start = r_time();
  publish_all();
  csr_write(satp, p->satp);
  sfence_vma();
  fp_restore(&p->fp);
  if (sched.vec_used) {
    vec_restore(p->fp.vec ? &p->fp : &zero_fp);
    /* Restoring made the state dirty: clean again, so that sched_out saves it only if p
     * itself changes it. */
    csr_clear(sstatus, SSTATUS_VS);
    csr_set(sstatus, SSTATUS_VS_CLEAN);
  }
  if (!kjmp_set(&c->ctx)) kjmp_go(&p->ctx);
  /* Bare again: p may now run on another hart and end there, which frees its page table
   * while this hart would still fetch the kernel's code through it (found as an instruction
   * page fault on the trap vector itself, looping, with two harts). */
  csr_write(satp, 0);
  sfence_vma();
  made_ready(p); /* runnable still (a yield): another hart may take it */
}

/* The slots of processes that ended become free. */
static void reap(void) {
  for (u32 i = 1; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_DONE) sched.table[i] = NULL, proc_live--;
  }
}

/* The first free slot after reaping, or 0 when all are taken. */
static u32 slot_free_now(void) {
  reap();
  for (u32 i = 1; i < MAX_PROCS; i++)
    if (!sched.table[i]) return i;
  return 0;
}

/* Act on one request of the host's debugger; 0 if it cannot be done. */
static int serve(u32 op, u32 arg) {
  if (op == PROC_START) {
    if (!slot_free_now() || arg >= osb_nmodules) return 0;
    const char *name = osb_modules[arg]->name;
    struct proc *p = proc_new(arg, name, strlen(name)); /* a slot is free: never waits */
    struct strings *args = &p->wasi.args;
    args->bytes = strlen(name) + 1, args->count = 1;
    memcpy(args->data, name, args->bytes);
    return proc_spawn(p) == RUN_OK;
  }
  struct proc *p = NULL;
  for (u32 i = 1; i < MAX_PROCS; i++)
    if (sched.table[i] && sched.table[i]->pid == arg) p = sched.table[i];
  if (!p || p->state == P_DONE || p->state == P_SETUP) return 0;
  if (op == PROC_STOP) return p->stopped = 1;
  if (op == PROC_RESUME) return p->stopped = 0, made_ready(p), 1;
  if (op != PROC_KILL) return 0;
  p->kill = 1, p->stopped = 0;
  if (p->state == P_BLOCKED) p->state = P_RUNNABLE, p->chan = NULL, p->wake = 0;
  made_ready(p);
  return 1;
}

/* The requests the host wrote into osb_procs since the last time. */
static void serve_requests(void) {
  volatile struct osb_procs *t = &osb_procs;
  for (u32 done; (done = t->served + t->refused) != t->requested;) {
    const volatile struct osb_proc_request *r = &t->request[done % DEBUG_PROC_REQUESTS];
    if (serve(r->op, r->arg)) t->served++;
    else t->refused++;
  }
}

/* Whether nothing can ever run again without help: no process runs on any hart or can be
 * picked, none sleeps until a time, none is stopped (the host may resume it). Then every
 * process waits on another (a pipe cycle, a reader whose writer never comes), and they are
 * killed. */
static void end_deadlock(void) {
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (!q) continue;
    if (q->cpu || ready(q) || q->stopped || (q->state == P_BLOCKED && q->wake)) return;
  }
  for (u32 i = 1; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED) q->kill = 1, q->state = P_RUNNABLE, q->chan = NULL;
  }
}

/* Nothing for hart c: wait (without the lock) until the earliest sleeper's time, at most a
 * slice (the host's requests), or an IPI saying that a process became ready. */
static void idle(struct cpu *c) {
  u64 until = r_time() + SLICE_TICKS;
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && q->wake && q->wake < until) until = q->wake;
  }
  sbi_set_timer(until);
  c->armed = 0;
  csr_set(sie, SIE_STIE | SIE_SSIE);
  c->idle = 1;
  klock_release();
  while (r_time() < until && !(csr_read(sip) & SIP_SSIP)) __asm__ volatile("wfi");
  klock_acquire();
  c->idle = 0;
  csr_clear(sip, SIP_SSIP);
  csr_clear(sie, SIE_SSIE);
}

/* A hart's scheduler loop, on its own stack, with the lock held: pick, run, repeat. */
void scheduler(struct cpu *c) {
  for (;;) {
    wake_due();
    serve_requests();
    end_deadlock();
    struct proc *p = pick();
    if (p) {
      run_on(c, p);
      continue;
    }
    publish_all();
    idle(c);
  }
}

void proc_yield_others(void) {
  if (proc_more_runnable()) sched_out(); /* still runnable: picked again in turn */
}

int proc_yield_ok(void) {
  proc_yield_others();
  return RUN_OK;
}

void proc_sleep(const void *chan, u64 wake) {
  struct proc *p = myproc();
  p->state = P_BLOCKED;
  p->chan = chan;
  p->wake = wake;
  sched_out();
}

void proc_wakeup(const void *chan) {
  for (u32 i = 0; i < MAX_PROCS; i++) {
    struct proc *q = sched.table[i];
    if (q && q->state == P_BLOCKED && chan && q->chan == chan) {
      q->state = P_RUNNABLE, q->chan = NULL, q->wake = 0;
      made_ready(q);
    }
  }
}

/* The timer fired in U-mode (not the deadline): the slice is over, or a sleeper is due. The
 * timer stays set at that time (it fired) until armed again. */
void proc_tick(void) {
  struct proc *p = myproc();
  proc_timer_forget();
  serve_requests();
  publish_usage(p);
  publish_all();
  if (p->stopped) {
    sched_out(); /* the host stopped it: back here once it is resumed */
  } else if (r_time() - p->slice_start >= SLICE_TICKS || wake_due()) {
    proc_yield();
    p->slice_start = r_time();
  }
  proc_timer_arm();
}

/* A free slot; the script waits while all are taken. */
static u32 free_slot(void) {
  u32 i;
  while (!(i = slot_free_now())) proc_sleep(&sched, 0);
  return i;
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
  publish_all();
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
  publish_all();
  osb_procs.row[index_of(p)].pages = 0;
  proc_wakeup(&sched);
  sched_out();
  panic("a process ran after its end");
}

/* A new process's first kernel code, on its own stack: make its store, instantiate its
 * module, run _start. */
static void proc_start(void) __attribute__((noreturn));
static void proc_start(void) {
  struct proc *p = myproc();
  proc_timer_arm();
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
  publish_all();
  made_ready(p);
  return RUN_OK;
}

int proc_wait_all(void) {
  for (reap(); proc_live > 1; reap()) proc_sleep(&sched, 0);
  return sched.have_main ? sched.main_status : sched.first_failure;
}
