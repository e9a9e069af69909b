/* link.c: resolving a module's imports when it is instantiated: against registered instances
 * (the spec scripts' `register`), the spectest host module, and the kernel's `env` host
 * functions. Every import is checked before anything of the new instance runs, and a
 * mismatch is a link error naming the import. */
#include "proc.h"

const struct osb_export *find_export(const struct osb_module *m, const char *name, u64 len) {
  for (u32 i = 0; i < m->nexports; i++)
    if (m->exports[i].name_len == len && memcmp(m->exports[i].name, name, len) == 0)
      return &m->exports[i];
  return NULL;
}

static struct instance *registered(struct store *s, const char *name, u64 len) {
  for (u32 i = s->ninst; i-- > 0;) {
    struct instance *in = &s->inst[i];
    if (in->ok && in->regname && in->regname_len == len && memcmp(in->regname, name, len) == 0)
      return in;
  }
  return NULL;
}

static int limits_ok(u64 cur, u64 max, const struct osb_import *imp) {
  if (cur < imp->min) return 0;
  if (imp->max == NO_MAX) return 1;
  return max != NO_MAX && max <= imp->max;
}

static void name_of(struct buf *b, const struct osb_import *imp) {
  buf_bytes(b, imp->module, imp->module_len);
  buf_char(b, '.');
  buf_bytes(b, imp->name, imp->name_len);
}

static int fail(struct buf *err, const char *what, const struct osb_import *imp) {
  buf_str(err, what);
  buf_str(err, ": ");
  name_of(err, imp);
  return -1;
}

static u64 *slot(u64 vmctx, u32 offset, u32 index, u32 width) {
  return (u64 *)(vmctx + offset + (u64)index * width);
}

/* Whether reference type key `a` (REF_KEY_*, 0 for a number type) matches `b`: a subtype
 * (3.0 without GC: nofunc <: $t <: func, noextern <: extern, non-null <: nullable; concrete
 * function types match when equal). */
static int ref_sub(u64 a, u64 b) {
  if (a == b) return 1;
  if (!a || !b || ((a ^ b) & REF_KEY_FUNC_FAMILY)) return 0;
  if ((a & REF_KEY_NULLABLE) && !(b & REF_KEY_NULLABLE)) return 0;
  u64 ka = a & REF_KEY_KIND, kb = b & REF_KEY_KIND;
  if (kb == REF_KEY_TOP && ka != REF_KEY_OTHER) return 1;
  if (ka == REF_KEY_BOTTOM && kb != REF_KEY_OTHER) return 1;
  return ka == REF_KEY_CONCRETE && kb == REF_KEY_CONCRETE && (a >> 8) == (b >> 8);
}

/* Whether a function's type declares (directly or further up) the supertype `tid`: its RTT
 * (jit/gc.py) is [kind, depth, id_0 .. id_depth], the type itself last. */
static int has_supertype(const struct funcobj *f, u64 tid) {
  const u64 *rtt = (const u64 *)f->rtt;
  if (!rtt) return 0;
  for (u64 k = 0; k <= rtt[1]; k++)
    if (rtt[2 + k] == tid) return 1;
  return 0;
}

/* An import provided by an instance's export. */
static int link_export(struct instance *inst, const struct osb_import *imp,
                       struct instance *from, struct buf *err) {
  const struct osb_module *m = inst->mod, *pm = from->mod;
  const struct osb_export *e = find_export(pm, imp->name, imp->name_len);
  if (!e) return fail(err, "unknown import", imp);
  if (e->kind != imp->kind) return fail(err, "incompatible import type", imp);
  u64 pv = from->vmctx, v = inst->vmctx;
  switch (imp->kind) {
  case KIND_FUNC: {
    struct funcobj *f = (struct funcobj *)(pv + pm->vm_funcrefs) + e->index;
    if (strcmp(e->sig, imp->sig) != 0 || (e->tid != imp->tid && !has_supertype(f, imp->tid)))
      return fail(err, "incompatible import type", imp);
    u64 *pair = slot(v, m->vm_funcs, imp->index, 16);
    pair[0] = f->code;
    pair[1] = f->vmctx;
    return 0;
  }
  case KIND_GLOBAL:
    /* a constant global's type may be a subtype of the import's, a mutable one's is equal */
    if (e->valtype != imp->valtype || e->mut != imp->mut ||
        !(imp->mut ? e->ref == imp->ref : ref_sub(e->ref, imp->ref)))
      return fail(err, "incompatible import type", imp);
    vmctx_globals(v)[imp->index] = vmctx_globals(pv)[e->index];
    return 0;
  case KIND_MEMORY: {
    struct memory *mem = instance_memory(pv, pm, e->index);
    if (mem->index64 != imp->index64 || !limits_ok(mem->pages, mem->declared_max, imp))
      return fail(err, "incompatible import type", imp);
    set_instance_memory(v, m, imp->index, mem);
    return 0;
  }
  case KIND_TABLE: {
    struct table *t = (struct table *)*slot(pv, pm->vm_tables, e->index, 8);
    if (t->elem != imp->elem || t->index64 != imp->index64 || !limits_ok(t->size, t->max, imp))
      return fail(err, "incompatible import type", imp);
    *slot(v, m->vm_tables, imp->index, 8) = (u64)t;
    return 0;
  }
  case KIND_TAG: /* a tag's type must be equal; the importer shares the exporter's identity */
    if (e->tid != imp->tid) return fail(err, "incompatible import type", imp);
    *slot(v, m->vm_tags, imp->index, 8) = *slot(pv, pm->vm_tags, e->index, 8);
    return 0;
  }
  return fail(err, "unknown import kind", imp);
}

static int is(const struct osb_import *imp, const char *module, const char *name) {
  return imp->module_len == strlen(module) && memcmp(imp->module, module, imp->module_len) == 0 &&
         (!name || (imp->name_len == strlen(name) && memcmp(imp->name, name, imp->name_len) == 0));
}

/* spectest's globals, table and memory (../shared/testsuite/README.md). */
static int link_spectest(struct store *s, struct instance *inst, const struct osb_import *imp,
                         struct buf *err) {
  static const char *const globals[4] = {"global_i32", "global_i64", "global_f32", "global_f64"};
  static const u8 types[4] = {VT_I32, VT_I64, VT_F32, VT_F64};
  const struct osb_module *m = inst->mod;
  u64 v = inst->vmctx;
  if (imp->kind == KIND_GLOBAL) {
    for (int i = 0; i < 4; i++) {
      if (!is(imp, "spectest", globals[i])) continue;
      if (imp->valtype != types[i] || imp->mut) return fail(err, "incompatible import type", imp);
      vmctx_globals(v)[imp->index] = s->spectest.globals[i];
      return 0;
    }
  } else if (imp->kind == KIND_TABLE &&
             (is(imp, "spectest", "table") || is(imp, "spectest", "table64"))) {
    int wide = imp->name_len == 7; /* "table64" */
    struct table *t = (struct table *)(wide ? s->spectest.table64 : s->spectest.table);
    if (t->elem != imp->elem || t->index64 != imp->index64 || !limits_ok(t->size, t->max, imp))
      return fail(err, "incompatible import type", imp);
    *slot(v, m->vm_tables, imp->index, 8) = (u64)t;
    return 0;
  } else if (imp->kind == KIND_MEMORY && is(imp, "spectest", "memory")) {
    struct memory *mem = (struct memory *)s->spectest.memory;
    if (mem->index64 != imp->index64 || !limits_ok(mem->pages, mem->declared_max, imp))
      return fail(err, "incompatible import type", imp);
    set_instance_memory(v, m, imp->index, mem);
    return 0;
  }
  return fail(err, "unknown import", imp);
}

/* WASI reaches a program's memory through its export named "memory", as wasmtime's does: in a
 * module without one, every WASI function fails with "missing required memory export" when
 * called (the module still instantiates and runs until its first WASI call). In wasmtime that
 * is a host error, not a trap, so the run ends with status 1 (guest/main.c `run_script`). */
static int wasi_without_memory(struct store *s, u64 vmctx, u64 *slots) {
  (void)s, (void)vmctx, (void)slots;
  return TRAP_NO_MEMORY_EXPORT;
}

static int exports_memory(const struct osb_module *m) {
  for (u32 i = 0; i < m->nexports; i++) {
    const struct osb_export *e = &m->exports[i];
    if (e->kind == KIND_MEMORY && e->name_len == 6 && memcmp(e->name, "memory", 6) == 0)
      return 1;
  }
  return 0;
}

static int is_wasi(const struct osb_import *imp) {
  static const char name[] = "wasi_snapshot_preview1";
  return imp->module_len == sizeof name - 1 && memcmp(imp->module, name, sizeof name - 1) == 0;
}

int link_imports(struct store *s, struct instance *inst, struct buf *err) {
  const struct osb_module *m = inst->mod;
  for (u32 i = 0; i < m->nimports; i++) {
    const struct osb_import *imp = &m->imports[i];
    struct instance *from = registered(s, imp->module, imp->module_len);
    if (from) {
      if (link_export(inst, imp, from, err) < 0) return -1;
      continue;
    }
    if (imp->kind == KIND_FUNC) {
      const char *sig;
      hostfn_t fn = host_lookup(imp->module, imp->module_len, imp->name, imp->name_len, &sig);
      if (!fn) return fail(err, "unknown import", imp);
      if (strcmp(sig, imp->sig) != 0) {
        fail(err, "incompatible import type", imp);
        buf_str(err, " (module expects ");
        buf_str(err, imp->sig);
        buf_str(err, ", host provides ");
        buf_str(err, sig);
        buf_char(err, ')');
        return -1;
      }
      if (fn == sched_yield && myproc()->pid) fn = sched_yield_proc; /* wasi.c says why */
      inst->bind[imp->index] = is_wasi(imp) && !exports_memory(m) ? wasi_without_memory : fn;
      u64 *pair = slot(inst->vmctx, m->vm_funcs, imp->index, 16);
      pair[0] = (u64)imp->thunk;
      pair[1] = inst->vmctx;
      continue;
    }
    if (is(imp, "spectest", NULL)) {
      if (link_spectest(s, inst, imp, err) < 0) return -1;
      continue;
    }
    return fail(err, "unknown import", imp);
  }
  return 0;
}
