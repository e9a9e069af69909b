/* proc.h: programs running at once (issue 18's operating system of many programs).
 *
 * A process is one WebAssembly program in a store of its own (its own address space): its
 * WASI state (arguments, environment, descriptor table), a kernel stack and the kernel context
 * saved when it is not running, and its floating-point and vector registers. Process 0 is the
 * command script (main.c) and every single-program run: it runs on the boot stack and uses the
 * session's stores. The others are started by the script (`proc` ... `spawn`) and scheduled
 * round robin on the one hart: the timer preempts a program after SLICE_TICKS, and a host
 * call that has to wait (a pipe, a clock, the console) gives the hart to another. The kernel
 * itself is never preempted (it runs with interrupts off), so kernel data needs no locks. */
#ifndef PROC_H
#define PROC_H
#include "wasifs.h"

#define MAX_PROCS 16              /* at once, process 0 included */
#define KSTACK_BYTES (32UL << 10) /* a process's kernel stack (host calls run on it) */
#define SLICE_TICKS 100000UL      /* 10 ms of the 10 MHz time CSR */
#define MAX_PIPES 16
#define PIPE_PAGES 16             /* a pipe's buffer: 64 KiB */
#define MAX_VLENB 64              /* vector registers of up to 512 bits are saved */

#define MAX_CPUS 8                /* harts the kernel runs on (QEMU -smp, up to 8) */
#define CPU_STACK_BYTES (16UL << 10)

enum { P_FREE, P_SETUP, P_RUNNABLE, P_BLOCKED, P_DONE };
enum { END_EXIT, END_TRAP, END_ERROR, END_KILLED };

/* fpstate.S's layout (offsets there). */
struct fpstate {
  u64 f[32], fcsr, vl, vtype, vstart, vcsr;
  u8 v[32 * MAX_VLENB];
  int vec; /* v holds this process's vector registers */
};

/* A pipe: a ring of PIPE_PAGES pages between a writer's stdout and a reader's stdin. */
struct pipe {
  u8 *page[PIPE_PAGES];
  u64 head, tail;        /* bytes ever written, ever read */
  u32 readers, writers;  /* open ends */
  int had_reader;        /* a reader existed: with none left, a write fails with EPIPE */
  int had_writer;        /* a writer existed: with none left, a read is at the end of file */
  int used;
};

/* A hart: its scheduler loop's context and stack, and what runs on it. */
struct cpu {
  struct kjmp ctx;        /* the scheduler loop, while a process runs */
  u64 armed;              /* the time its timer is set for (0: unknown, ~0: off) */
  u64 hartid;
  volatile int idle;      /* waiting for work (an IPI wakes it) */
  u8 stack[CPU_STACK_BYTES] __attribute__((aligned(16)));
};

struct proc {
  int state;
  u32 pid;
  char name[32];
  u32 module;
  struct store *store;
  struct wasi_proc wasi;
  struct fdtable fdt;
  struct host_access access;
  struct kjmp ctx;           /* the kernel context while it does not run */
  u64 satp;                  /* its address space while it does not run */
  struct fpstate fp;
  const void *chan;          /* P_BLOCKED: waiting for wakeup(chan) ... */
  u64 wake;                  /* ... or for the time CSR to reach wake (0: no time) */
  u64 deadline;              /* --timeout: the trap "interrupt" at this time (0: none) */
  u64 fuel, mem_limit;
  int stdin_pipe, stdout_pipe; /* -1: console */
  int main;                  /* its status is the run's */
  int end, status;           /* P_DONE: how it ended (END_*) and its status or trap code */
  int kill;                  /* the host asked to kill it */
  int boost;                 /* woke from a sleep: runs next */
  struct cpu *cpu;           /* the hart it runs on, or NULL */
  int stopped;               /* the host stopped it (osb_procs): not scheduled until resumed */
  u64 ticks, since;          /* time CSR ticks it ran; when it last got the hart */
  u64 slice_start;           /* when its current time slice began */
};

/* The process running on this hart. */
struct proc *myproc(void);

/* fpstate.S */
void fp_save(struct fpstate *f);
void fp_restore(const struct fpstate *f);
void vec_save(struct fpstate *f);
void vec_restore(const struct fpstate *f);

/* smp.c: the harts, the big kernel lock, waking an idle hart */
struct cpu *cpu_boot(u64 hartid);     /* the boot hart's cpu (the lock is taken) */
void smp_start(void);                 /* start the other harts (SBI HSM) */
extern u32 smp_harts;                 /* harts running the kernel */
void klock_acquire(void);
void klock_release(void);
void cpu_kick(void);                  /* a process became ready: wake an idle hart */

/* proc.c */
void proc_boot(struct cpu *c);        /* process 0: the boot context, running on c */
void scheduler(struct cpu *c) __attribute__((noreturn));
struct proc *proc_new(u32 module, const char *name, u64 len); /* P_SETUP, or NULL if full */
int proc_spawn(struct proc *p);       /* start it (RUN_OK, or RUN_FAILED with an L frame) */
int proc_wait_all(void);              /* until every process ended: the run's exit status */
void proc_yield_others(void);
int proc_yield_ok(void);              /* proc_yield_others, then RUN_OK (a tail call) */
extern u32 proc_live;                 /* processes that exist (1: the script's alone) */
/* Let another runnable process run first; nothing to do (a few instructions) when the program
 * runs alone, the case of every single-program run's sched_yield and stdin read. */
static inline void proc_yield(void) {
  if (proc_live > 1) proc_yield_others();
}
void proc_sleep(const void *chan, u64 wake); /* block until wakeup(chan) or time >= wake */
void proc_wakeup(const void *chan);
void proc_tick(void);                 /* the timer fired in U-mode: preempt, re-arm */
void proc_timer_arm(void);
void proc_timer_forget(void);         /* the timer was set elsewhere (trap.c) */
int proc_deadline_passed(struct proc *p);
int proc_more_runnable(void);         /* another process could use the hart */

/* pipe.c */
struct pipe *pipe_get(int k);          /* pipe k (0..MAX_PIPES-1), created on first use */
void pipe_open(struct pipe *q, int writer);
void pipe_close(struct pipe *q, int writer);
int pipe_read(u64 vmctx, struct wfd *f, u64 *slots);  /* fd_read on a reading end */
int pipe_write(u64 vmctx, struct wfd *f, u64 *slots); /* fd_write on a writing end */
u8 pipe_filetype(const struct wfd *f);
#endif
