/* run.c: running wasm code: instantiation (link, allocate, init, start) and calls into
 * exports. All U-mode execution goes through run_user(), which enters osb_enter and services
 * the system calls until the call returns or traps. */
#include "riscv.h"
#include "proc.h"

/* trapvec.S's offsets of the fast path's fields, and its test for RUN_OK. */
_Static_assert(__builtin_offsetof(struct trapframe, hc_vmctx) == 34 * 8, "TF_HC_VMCTX");
_Static_assert(__builtin_offsetof(struct trapframe, hc_result) == 39 * 8, "TF_HC_RESULT");
_Static_assert(RUN_OK == -1, "trapvec.S tests a0 + 1 == 0");

/* Let trapvec.S serve the host calls of `inst` without entering run_user's loop. */
static void hostcall_cache(struct store *s, struct instance *inst) {
  struct trapframe *tf = &s->tf;
  /* With more than one hart the kernel is entered only with the big kernel lock (smp.c),
   * which the fast path does not take: no instance is cached, every host call goes through
   * run_loop. */
  tf->hc_vmctx = smp_harts > 1 ? 0 : inst->vmctx;
  tf->hc_nimports = inst->mod->nimported_funcs;
  tf->hc_bind = (u64)inst->bind;
  tf->hc_store = (u64)s;
}

/* A host call the fast path did not take: the first of another instance (cached from now
 * on), or one that is no host import. */
static int hostcall(struct store *s, struct trapframe *tf) {
  struct instance *inst = instance_by_vmctx(s, tf->regs[R_A0]);
  u64 index = tf->regs[R_A1];
  if (!inst || index >= inst->mod->nimported_funcs || !inst->bind[index])
    return TRAP_MEMORY_FAULT;
  hostcall_cache(s, inst);
  return inst->bind[index](s, inst->vmctx, (u64 *)tf->regs[R_A2]);
}

static i64 tablegrow(struct store *s, struct trapframe *tf) {
  struct instance *inst = instance_by_vmctx(s, tf->regs[R_A0]);
  u64 t = tf->regs[R_A1];
  if (!inst || t >= inst->mod->ntables) return -1;
  struct table *tab = *(struct table **)(inst->vmctx + inst->mod->vm_tables + 8 * t);
  return table_grow(s, tab, tf->regs[R_A2], tf->regs[R_A3]); /* a 64-bit delta for table64 */
}

/* The end of a host call on the fast path that did not return RUN_OK: its code, reported. */
static int hostcall_result(struct store *s, struct trapframe *tf) {
  int code = (int)(tf->hc_result - 1);
  tf->hc_result = 0;
  if (myproc()->access.abandoned) { /* no page left for the memory it touched (trap.c) */
    myproc()->access.abandoned = 0;
    report_trap(s, code, tf->epc, myproc()->access.addr, 1);
    return code;
  }
  if (code == RUN_EXIT || code == RUN_KILLED) return code;
  report_trap(s, code, tf->epc, 0, 0);
  return code;
}

static int run_loop(struct store *s) {
  struct trapframe *tf = &s->tf;
  for (;;) {
    klock_release(); /* the other harts may run kernel code while this one runs U-mode code */
    user_run(tf);
    klock_acquire();
    if (tf->hc_result) return hostcall_result(s, tf);
    u64 cause = csr_read(scause), tval = csr_read(stval);
    if (cause != CAUSE_ECALL_U) {
      int code = user_fault(s, cause, tval);
      if (code == RUN_OK) continue; /* an interrupt was handled; resume */
      return code;
    }
    int code = RUN_OK;
    switch (tf->regs[R_A7]) {
    case SYS_EXIT:
      return RUN_OK;
    case SYS_TRAP:
      /* ra - 4 is the call to osb_trap itself: inside the trapping function even when the
       * call is its last instruction. */
      report_trap(s, (int)tf->regs[R_A0], tf->regs[R_RA] - 4, 0, 0);
      return (int)tf->regs[R_A0];
    case SYS_HOSTCALL:
      /* The host call may touch linear memory pages for the first time (trap.c maps them);
       * if no page is left for one, kernel_trap abandons the call and lands here. */
      myproc()->access.in_call = 1;
      if (kjmp_set(&myproc()->access.escape)) {
        myproc()->access.abandoned = 0;
        report_trap(s, TRAP_OUT_OF_MEMORY, tf->epc, myproc()->access.addr, 1);
        return TRAP_OUT_OF_MEMORY;
      }
      code = hostcall(s, tf);
      myproc()->access.in_call = 0;
      if (myproc()->kill) return RUN_KILLED;
      break;
    case SYS_MEMGROW: {
      struct instance *inst = instance_by_vmctx(s, tf->regs[R_A0]); /* a2: memory index */
      struct memory *m = inst ? instance_memory(inst->vmctx, inst->mod, tf->regs[R_A2]) : NULL;
      tf->regs[R_A0] = m ? (u64)memory_grow(s, m, tf->regs[R_A1]) : (u64)-1;
      break;
    }
    case SYS_TABLEGROW:
      tf->regs[R_A0] = (u64)tablegrow(s, tf);
      break;
    case SYS_GC_ALLOC:
      tf->regs[R_A0] = gc_alloc(s, tf->regs[R_A1]); /* may collect: tf holds the roots */
      break;
    case SYS_THROW:
    case SYS_THROW_REF:
      /* Caught: the user context continues in the handler (epc set); uncaught: a trap. */
      code = throw_exception(s, tf, tf->regs[R_A7] == SYS_THROW_REF);
      if (code == RUN_OK) continue;
      return code;
    default:
      code = TRAP_ILLEGAL_INSTRUCTION;
    }
    if (code == RUN_EXIT) return RUN_EXIT;
    if (code != RUN_OK) {
      report_trap(s, code, tf->epc, 0, 0);
      return code;
    }
    tf->epc += 4;
  }
}

/* Call fn(vmctx, slots) in U-mode. RUN_OK, or the trap code after reporting it. */
int run_user(struct store *s, u64 vmctx, u64 fn, u64 slots) {
  struct trapframe *tf = &s->tf;
  memset(tf, 0, sizeof *tf);
  tf->epc = (u64)osb_enter;
  tf->regs[R_SP] = USER_STACK_TOP;
  tf->regs[R_A0] = vmctx;
  tf->regs[R_A1] = slots;
  tf->regs[R_A2] = fn;
  struct instance *inst = instance_by_vmctx(s, vmctx);
  if (inst) hostcall_cache(s, inst);
  myproc()->access.store = s; /* a host call may touch linear memory pages first (trap.c) */
  if (s->interrupted) interrupt_rearm(s); /* its deadline has passed: trap again */
  *(u64 *)s->handlers = 0; /* a trap may have left records of an earlier call behind */
  int code = run_loop(s);
  myproc()->access.store = NULL;
  myproc()->access.in_call = 0;
  return code;
}

static void link_error(struct buf *err) { buf_send(err, 'L'); }

/* Create the instance's objects in the order the vmctx layout lists them. */
static int allocate(struct store *s, struct instance *inst, struct buf *err) {
  const struct osb_module *m = inst->mod;
  u64 v = inst->vmctx;
  for (u32 k = m->nimported_memories; k < m->nmemories; k++) {
    const struct osb_memory_def *d = &m->memories[k - m->nimported_memories];
    if (d->min > s->mem_limit) { /* --max-memory; wasmtime's words */
      buf_str(err, "memory minimum size of ");
      buf_dec(err, (i64)d->min);
      return buf_str(err, " pages exceeds memory limits"), -1;
    }
    struct memory *mem = (struct memory *)memory_new(s, d->min, d->max, d->index64);
    if (!mem) return buf_str(err, "cannot allocate linear memory"), -1;
    set_instance_memory(v, m, k, mem);
  }
  for (u32 g = m->nimported_globals; g < m->nglobals; g++) {
    u64 storage = ualloc(s, 16);
    if (!storage) return buf_str(err, "out of memory for globals"), -1;
    vmctx_globals(v)[g] = storage;
  }
  for (u32 t = m->nimported_tables; t < m->ntables; t++) {
    const struct osb_table_def *d = &m->tables[t - m->nimported_tables];
    u64 tab = table_new(s, d->min, d->max, d->elem, d->index64);
    if (!tab) return buf_str(err, "out of memory for a table"), -1;
    *(u64 *)(v + m->vm_tables + 8UL * t) = tab;
  }
  vmctx_set_stack_limit(v, s->stack_bottom + USER_STACK_MARGIN);
  vmctx_set_spill(v, s->spill);
  vmctx_set_handlers(v, s->handlers);
  for (u32 t = m->nimported_tags; t < m->ntags; t++) { /* a defined tag is its slot's address */
    u64 *tag = (u64 *)(v + m->vm_tags + 8UL * t);
    *tag = (u64)tag;
  }
  vmctx_set_fuel(v, s->fuel);
  return 0;
}

/* Instantiate module `module` as the next instance. Answers with one frame: R (ok), T (trap
 * in init or start), L (link or allocation error). */
int instantiate(struct store *s, u32 module) {
  struct buf err = {0};
  if (s->ninst >= MAX_INSTANCES) {
    buf_str(&err, "too many instances in this store");
    return link_error(&err), RUN_FAILED;
  }
  struct instance *inst = &s->inst[s->ninst++];
  if (module >= osb_nmodules) {
    buf_str(&err, "no such module");
    return link_error(&err), RUN_FAILED;
  }
  inst->mod = osb_modules[module];
  const struct osb_module *m = inst->mod;
  if (m->vm_globals != VMCTX_HEADER_SIZE) { /* built against another abi.def */
    buf_str(&err, "module compiled for a different vmctx header");
    return link_error(&err), RUN_FAILED;
  }
  inst->vmctx = ualloc(s, m->vm_size);
  inst->bind = (hostfn_t *)ualloc(s, 8UL * (m->nimported_funcs + 1));
  if (!inst->vmctx || !inst->bind) {
    buf_str(&err, "out of memory for an instance");
    return link_error(&err), RUN_FAILED;
  }
  if (link_imports(s, inst, &err) < 0 || allocate(s, inst, &err) < 0)
    return link_error(&err), RUN_FAILED;
  int code = run_user(s, inst->vmctx, (u64)m->init, s->slots);
  if (code == RUN_OK && m->start) code = run_user(s, inst->vmctx, (u64)m->start, s->slots);
  if (code != RUN_OK) return code;
  inst->ok = 1;
  frame('R', "", 0);
  return RUN_OK;
}

/* Slots a value of signature letter `t` takes: a v128 two u64s, low half first. */
static u32 slot_count(char t) { return t == 'V' ? 2 : 1; }

/* Slots the values of a signature string's part `types` (up to ':' or its end) take. */
static u32 slots_of(const char *types) {
  u32 n = 0;
  for (; *types && *types != ':'; types++) n += slot_count(*types);
  return n;
}

/* Results the host receives: a GC reference among them stays alive (gc.c gc_pin). */
static void pin_results(struct store *s, const char *types, const u64 *slots) {
  for (; *types; types++) {
    if (*types == 'r' || *types == 'e') gc_pin(s, *slots);
    slots += slot_count(*types);
  }
}

static void results(const char *types, u64 *slots) {
  struct buf b = {0};
  for (u32 i = 0; types[i]; i++) {
    if (i) buf_char(&b, ' ');
    buf_str(&b, valtype_name(types[i]));
    buf_char(&b, ':');
    u64 v = *slots++;
    if (types[i] == 'i' || types[i] == 'f') v &= 0xFFFFFFFFUL;
    if (types[i] == 'V') { /* the high half, then the low half as 16 hex digits */
      buf_hex(&b, *slots++);
      for (int shift = 60; shift >= 0; shift -= 4)
        buf_char(&b, "0123456789abcdef"[v >> shift & 15]);
      continue;
    }
    buf_hex(&b, v);
  }
  buf_send(&b, 'R');
}

int invoke(struct store *s, struct instance *inst, const char *name, u64 len, u64 *args,
           u32 nargs) {
  struct buf err = {0};
  const struct osb_export *e = inst->ok ? find_export(inst->mod, name, len) : NULL;
  if (!e || e->kind != KIND_FUNC) {
    buf_str(&err, inst->ok ? "unknown function export: " : "instance failed: ");
    buf_bytes(&err, name, len);
    return link_error(&err), RUN_FAILED;
  }
  const char *colon = e->sig;
  while (*colon != ':') colon++;
  if (slots_of(e->sig) != nargs) {
    buf_str(&err, "wrong number of arguments");
    return link_error(&err), RUN_FAILED;
  }
  u64 *slots = (u64 *)s->slots;
  for (u32 i = 0; i < nargs; i++) slots[i] = args[i];
  int code = run_user(s, inst->vmctx, (u64)e->shim, s->slots);
  if (code != RUN_OK) return code;
  pin_results(s, colon + 1, slots);
  results(colon + 1, slots);
  return RUN_OK;
}

int get_global(struct store *s, struct instance *inst, const char *name, u64 len) {
  struct buf err = {0};
  const struct osb_export *e = inst->ok ? find_export(inst->mod, name, len) : NULL;
  if (!e || e->kind != KIND_GLOBAL) {
    buf_str(&err, "unknown global export: ");
    buf_bytes(&err, name, len);
    return link_error(&err), RUN_FAILED;
  }
  u64 *storage = (u64 *)vmctx_globals(inst->vmctx)[e->index];
  char t[2] = {valtype_letter(e->valtype), 0};
  pin_results(s, t, storage);
  results(t, storage);
  return RUN_OK;
}
