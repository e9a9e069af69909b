/* exn.c: throwing a wasm exception (throw, throw_ref).
 *
 * Compiled code keeps the handlers: each try_table that runs pushes a record (struct handler,
 * abi.def) on the wasm stack, linked from the store's `handlers` word, and osb_setjmp fills its
 * jmpbuf; leaving the try_table in any way pops it. A throw is a system call: the kernel walks
 * the chain, innermost first, for the first catch clause that matches the tag (or is a
 * catch_all), pops every record up to and including that one, and resumes the user context in
 * osb_longjmp (user.S), which returns from that try_table's osb_setjmp a second time with the
 * clause number + 1. No handler: the trap "thrown Wasm exception" at the throw.
 *
 * The payload travels through the store's spill buffer: the thrower writes it there. A catch
 * clause reads it from there; only a *_ref clause, whose exnref may outlive the catch, gets an
 * exception object, on the store's garbage-collected heap (gc.c). */
#include "debug.h"
#include "riscv.h"
#include "store.h"

enum { CATCH, CATCH_REF, CATCH_ALL, CATCH_ALL_REF };

/* A handler record must lie on the user stack, aligned: compiled code wrote it, but the kernel
 * checks before it trusts an address it will read and jump through. */
static int on_stack(struct store *s, u64 rec) {
  return rec >= s->stack_bottom && rec + sizeof(struct handler) <= USER_STACK_TOP && !(rec & 7);
}

/* The clause of record `h` that catches `tag`, or -1. */
static int matching_clause(const struct handler *h, u64 tag) {
  const u32 *c = (const u32 *)h->clauses;
  u32 n = c[0];
  for (u32 i = 0; i < n; i++) {
    u32 kind = c[1 + 2 * i], index = c[2 + 2 * i];
    if (kind == CATCH_ALL || kind == CATCH_ALL_REF) return (int)i;
    if (((const u64 *)h->tags)[index] == tag) return (int)i;
  }
  return -1;
}

/* The debugger's exception log (abi.def osb_debug_exception). */
static void log_exception(u64 tag, u64 thrown_at, u64 caught_at) {
  u64 n = osb_debug.nexceptions++;
  struct osb_debug_exception *e = &osb_debug.exceptions[n % DEBUG_MAX_EXCEPTIONS];
  e->number = n;
  e->tag = tag;
  e->thrown_at = thrown_at;
  e->caught_at = caught_at;
}

/* SYS_THROW: a0 = tag identity, a1 = payload bytes (in the spill buffer).
 * SYS_THROW_REF: a0 = exception object. RUN_OK when caught (tf resumes in the handler), else
 * the trap code, reported. */
int throw_exception(struct store *s, struct trapframe *tf, int by_ref) {
  struct exn *obj = by_ref ? (struct exn *)tf->regs[R_A0] : NULL;
  u64 tag = by_ref ? obj->tag : tf->regs[R_A0];
  u64 nbytes = by_ref ? obj->nbytes : tf->regs[R_A1];
  u64 *head = (u64 *)s->handlers;
  for (u64 rec = *head; rec; rec = ((struct handler *)rec)->prev) {
    if (!on_stack(s, rec)) break;
    struct handler *h = (struct handler *)rec;
    int clause = matching_clause(h, tag);
    if (clause < 0) continue;
    u32 kind = ((const u32 *)h->clauses)[1 + 2 * clause];
    if (kind == CATCH_REF || kind == CATCH_ALL_REF) {
      if (!obj) {
        obj = (struct exn *)gc_alloc(s, sizeof *obj + nbytes);
        if (!obj) break; /* no memory for it: reported as uncaught */
        obj->tag = tag;
        obj->nbytes = nbytes;
        memcpy(obj + 1, (void *)s->spill, nbytes);
      }
      h->exn = (u64)obj;
    } else if (by_ref && kind == CATCH) {
      memcpy((void *)s->spill, obj + 1, nbytes);
    }
    *head = h->prev;
    log_exception(tag, tf->regs[R_RA] - 4, h->jmpbuf[0].value); /* jmpbuf[0]: setjmp's ra */
    tf->regs[R_A0] = rec;
    tf->regs[R_A1] = (u64)clause + 1;
    tf->epc = (u64)osb_longjmp;
    return RUN_OK;
  }
  /* ra - 4 is the call of osb_throw / osb_throw_ref, inside the throwing function. */
  log_exception(tag, tf->regs[R_RA] - 4, 0);
  report_trap(s, TRAP_UNCAUGHT_EXCEPTION, tf->regs[R_RA] - 4, 0, 0);
  return TRAP_UNCAUGHT_EXCEPTION;
}
