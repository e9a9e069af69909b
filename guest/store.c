/* store.c: the objects of a store: the user data region's bump allocator, linear memories
 * (8 GiB reservations, only current pages mapped) and tables. */
#include "riscv.h"
#include "store.h"

int store_init(struct store *s) {
  memset(s, 0, sizeof *s);
  s->root = uvm_create();
  if (!s->root) return -1;
  s->data_next = s->data_mapped = USER_DATA_BASE;
  s->stack_bottom = USER_STACK_TOP - USER_STACK_SIZE;
  if (uvm_alloc(s->root, s->stack_bottom, USER_STACK_SIZE / PGSIZE, PTE_R | PTE_W | PTE_U) < 0)
    return -1;
  uvm_activate(s->root);
  s->slots = ualloc(s, 8 * 512);
  return s->slots ? 0 : -1;
}

/* size bytes of zeroed, 16-byte aligned, U-accessible memory; 0 when out of memory. */
u64 ualloc(struct store *s, u64 size) {
  u64 va = (s->data_next + 15) & ~15UL;
  u64 end = va + size;
  if (end > USER_DATA_LIMIT) return 0;
  while (s->data_mapped < end) {
    if (uvm_alloc(s->root, s->data_mapped, 1, PTE_R | PTE_W | PTE_U) < 0) return 0;
    s->data_mapped += PGSIZE;
  }
  s->data_next = end;
  memset((void *)va, 0, size);
  return va;
}

u64 memory_new(struct store *s, u64 min, u64 max) {
  if (s->nmemories >= MAX_MEMORIES) return 0;
  struct memory *m = (struct memory *)ualloc(s, sizeof *m);
  if (!m) return 0;
  m->base = USER_MEM_BASE + s->nmemories++ * USER_MEM_RESERVE;
  m->max_pages = max == NO_MAX || max > 65536 ? 65536 : max;
  m->declared_max = max;
  m->pages = 0;
  if (memory_grow(s, m, min) < 0) return 0;
  return (u64)m;
}

i64 memory_grow(struct store *s, struct memory *m, u64 delta) {
  u64 old = m->pages;
  if (delta > m->max_pages || old + delta > m->max_pages) return -1;
  u64 npages = delta * (WASM_PAGE / PGSIZE);
  if (npages + 64 > kfree_pages()) return -1; /* keep a reserve for the kernel */
  if (uvm_alloc(s->root, m->base + old * WASM_PAGE, npages, PTE_R | PTE_W | PTE_U) < 0)
    return -1;
  m->pages = old + delta;
  sfence_vma();
  return (i64)old;
}

u64 table_new(struct store *s, u64 min, u64 max, u64 elem) {
  struct table *t = (struct table *)ualloc(s, sizeof *t);
  if (!t) return 0;
  t->max = max;
  t->elem = elem;
  t->capacity = min ? min : 1;
  t->elems = ualloc(s, t->capacity * 8);
  if (!t->elems) return 0;
  t->size = min;
  return (u64)t;
}

i64 table_grow(struct store *s, struct table *t, u64 delta, u64 init) {
  u64 old = t->size;
  u64 limit = t->max == NO_MAX ? 0xFFFFFFFFUL : t->max;
  if (delta > limit || old + delta > limit) return -1;
  if (old + delta > t->capacity) {
    u64 cap = (old + delta) * 2;
    if (cap * 8 / PGSIZE + 64 > kfree_pages()) cap = old + delta;
    if (cap * 8 / PGSIZE + 64 > kfree_pages()) return -1;
    u64 elems = ualloc(s, cap * 8);
    if (!elems) return -1;
    memcpy((void *)elems, (void *)t->elems, old * 8);
    t->elems = elems;
    t->capacity = cap;
  }
  u64 *e = (u64 *)t->elems;
  for (u64 i = old; i < old + delta; i++) e[i] = init;
  t->size = old + delta;
  return (i64)old;
}

struct instance *instance_by_vmctx(struct store *s, u64 vmctx) {
  for (u32 i = 0; i < s->ninst; i++)
    if (s->inst[i].vmctx == vmctx) return &s->inst[i];
  return NULL;
}
