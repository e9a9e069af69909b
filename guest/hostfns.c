/* hostfns.c: host functions that modules import: `env` (console output for programs) and the
 * spec suite's `spectest` module. Each reads its arguments from the slot array (raw bits) and
 * returns RUN_OK or a trap code. */
#include "store.h"

static int print_i32(struct store *s, u64 vmctx, u64 *slots) {
  (void)s, (void)vmctx;
  struct buf b = {0};
  buf_dec(&b, (i64)(int)(u32)slots[0]);
  buf_char(&b, '\n');
  buf_send(&b, '1');
  return RUN_OK;
}

static int print_i64(struct store *s, u64 vmctx, u64 *slots) {
  (void)s, (void)vmctx;
  struct buf b = {0};
  buf_dec(&b, (i64)slots[0]);
  buf_char(&b, '\n');
  buf_send(&b, '1');
  return RUN_OK;
}

static int putchar_(struct store *s, u64 vmctx, u64 *slots) {
  (void)s, (void)vmctx;
  char c = (char)slots[0];
  frame('1', &c, 1);
  return RUN_OK;
}

/* puts(ptr, len): len bytes of linear memory at ptr, bounds-checked like a wasm load. */
static int puts_(struct store *s, u64 vmctx, u64 *slots) {
  (void)s;
  struct memory *m = vmctx_memory(vmctx);
  u64 ptr = (u32)slots[0], len = (u32)slots[1];
  if (!m || ptr + len > m->pages * WASM_PAGE) return TRAP_OOB_MEMORY;
  frame('1', (const char *)(m->base + ptr), len);
  return RUN_OK;
}

/* spectest.print*: the values in hex bits (the suite only needs them to not fail). */
static int print_values(struct store *s, u64 vmctx, u64 *slots, const char *types) {
  (void)s, (void)vmctx;
  struct buf b = {0};
  for (int i = 0; types[i]; i++) {
    if (i) buf_char(&b, ' ');
    buf_char(&b, types[i]);
    buf_char(&b, ':');
    buf_hex(&b, slots[i]);
  }
  buf_char(&b, '\n');
  buf_send(&b, '1');
  return RUN_OK;
}
static int print_none(struct store *s, u64 v, u64 *sl) { return print_values(s, v, sl, ""); }
static int print_f32(struct store *s, u64 v, u64 *sl) { return print_values(s, v, sl, "f"); }
static int print_f64(struct store *s, u64 v, u64 *sl) { return print_values(s, v, sl, "F"); }
static int print_if(struct store *s, u64 v, u64 *sl) { return print_values(s, v, sl, "if"); }
static int print_FF(struct store *s, u64 v, u64 *sl) { return print_values(s, v, sl, "FF"); }

static const struct hostfn_entry hostfns[] = {
#define HOSTFN(module, name, sig, fn) {module, name, sig, fn},
#include "hostfns.def"
#undef HOSTFN
};

static hostfn_t find(const struct hostfn_entry *table, u64 n, const char *module, u64 mlen,
                     const char *name, u64 nlen, const char **sig) {
  for (u64 i = 0; i < n; i++) {
    if (strlen(table[i].module) == mlen && memcmp(table[i].module, module, mlen) == 0 &&
        strlen(table[i].name) == nlen && memcmp(table[i].name, name, nlen) == 0) {
      *sig = table[i].sig;
      return table[i].fn;
    }
  }
  return NULL;
}

hostfn_t host_lookup(const char *module, u64 mlen, const char *name, u64 nlen, const char **sig) {
  hostfn_t fn = find(hostfns, sizeof hostfns / sizeof hostfns[0], module, mlen, name, nlen, sig);
  return fn ? fn : find(wasi_fns, wasi_nfns, module, mlen, name, nlen, sig);
}

/* The spectest module's objects: global_i32 = 666, global_i64 = 666, global_f32 = 666.6,
 * global_f64 = 666.6, a funcref table of 10 (max 20) and its table64 twin (i64 indices), a
 * memory of 1 page (max 2). */
void spectest_init(struct store *s) {
  static const u64 values[4] = {666, 666, 0x4426A666UL, 0x4084D4CCCCCCCCCDUL};
  for (int i = 0; i < 4; i++) {
    u64 *g = (u64 *)ualloc(s, 16);
    if (!g) panic("out of memory for spectest");
    *g = values[i];
    s->spectest.globals[i] = (u64)g;
  }
  s->spectest.table = table_new(s, 10, 20, REF_KEY_FUNCREF, 0);
  s->spectest.table64 = table_new(s, 10, 20, REF_KEY_FUNCREF, 1);
  s->spectest.memory = memory_new(s, 1, 2, 0);
  if (!s->spectest.table || !s->spectest.table64 || !s->spectest.memory)
    panic("out of memory for spectest");
}
