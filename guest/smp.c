/* smp.c: the harts. The boot hart starts the others through SBI's hart state management
 * extension (HSM, "hart_start"); each enters secondary_entry (entry.S) on its cpu's stack and
 * then its scheduler loop (proc.c). One spin lock, the big kernel lock, is held by whichever
 * hart runs kernel code: taken when a hart enters the kernel from U-mode (run.c) or wakes from
 * waiting for work, let go when it returns to U-mode or waits. A hart that waits is woken by an
 * IPI (SBI's "sPI" extension) when a process becomes ready. */
#include "riscv.h"
#include "proc.h"

#define SBI_HSM 0x48534DUL
#define SBI_IPI 0x735049UL

_Static_assert(__builtin_offsetof(struct cpu, stack) + CPU_STACK_BYTES == 16528,
               "entry.S CPU_STACK_END");

static struct cpu cpus[MAX_CPUS] __attribute__((section(".noinit")));
u32 smp_harts = 1;
static volatile u32 big_lock;

extern char secondary_entry[], cpu_trampoline[];

static void klock_release_all(void) { __atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE); }

/* With one hart there is nobody to exclude, and the lock is not used at all: the host-call
 * fast path (trapvec.S), which runs kernel code without it, is then safe even when the host
 * function waits and the hart runs another process meanwhile. With more, the fast path is
 * off (run.c hostcall_cache). */
static void take(void) {
  while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
    while (big_lock)
      ;
}

void klock_acquire(void) {
  if (smp_harts > 1) take();
}

void klock_release(void) {
  if (smp_harts > 1) __atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE);
}

/* A cpu ready for its hart: the scheduler loop is entered through cpu_trampoline (entry.S),
 * which passes the cpu (kjmp's s1) to scheduler(). */
static struct cpu *cpu_init(u32 k, u64 hartid) {
  struct cpu *c = &cpus[k];
  memset(c, 0, sizeof *c - sizeof c->stack);
  c->hartid = hartid;
  c->ctx.regs[0] = (u64)cpu_trampoline;                  /* ra */
  c->ctx.regs[1] = (u64)(c->stack + CPU_STACK_BYTES);   /* sp */
  c->ctx.regs[3] = (u64)c;                               /* s1 */
  return c;
}

struct cpu *cpu_boot(u64 hartid) { return cpu_init(0, hartid); }

/* Start every other hart QEMU has (ids 0..MAX_CPUS-1 but the boot hart's; HSM refuses the
 * ids that do not exist). Each waits for the lock, which the boot hart holds until it
 * first returns to U-mode or waits. */
void smp_start(void) {
  u64 boot = cpus[0].hartid;
  take(); /* held by the boot hart from now on, as by any hart running kernel code */
  for (u64 id = 0; id < MAX_CPUS && smp_harts < MAX_CPUS; id++) {
    if (id == boot) continue;
    struct cpu *c = cpu_init(smp_harts, id);
    if (sbi_call(SBI_HSM, 0, id, (u64)secondary_entry, (u64)c) == 0) smp_harts++;
  }
  if (smp_harts == 1) klock_release_all();
}

/* A secondary hart, from entry.S with its cpu's stack: the same supervisor set-up as the boot
 * hart's (kmain), then its scheduler loop. */
void ksecondary(struct cpu *c) {
  hart_csr_init();
  take();
  scheduler(c);
}

/* A process became ready: an idle hart, if there is one, is told by an IPI. */
void cpu_kick(void) {
  for (u32 k = 0; k < smp_harts; k++)
    if (cpus[k].idle) {
      sbi_call(SBI_IPI, 0, 1UL << cpus[k].hartid, 0, 0);
      return;
    }
}
