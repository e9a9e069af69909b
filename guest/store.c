/* store.c: the objects of a store: the user data region's bump allocator, linear memories
 * (8 GiB reservations with a low guard, demand-paged) and tables.
 *
 * A linear memory costs no physical page until it is touched: memory_new and memory_grow only
 * set the size, and the first access to a page below the size faults (from wasm code in U-mode,
 * or from the kernel serving a host call); memory_fault then maps a zeroed page there and the
 * access is retried. Above the size the fault is the trap "out of bounds memory access". */
#include "riscv.h"
#include "store.h"

int store_init(struct store *s) {
  memset(s, 0, sizeof *s);
  s->root = uvm_create();
  if (!s->root) return -1;
  s->data_next = s->data_mapped = USER_DATA_BASE;
  s->mem_limit = NO_MEM_LIMIT;
  s->stack_bottom = USER_STACK_TOP - USER_STACK_SIZE;
  if (uvm_alloc(s->root, s->stack_bottom, USER_STACK_SIZE / PGSIZE, PTE_R | PTE_W | PTE_U) < 0)
    return -1;
  uvm_activate(s->root);
  s->slots = ualloc(s, 8 * 512);
  s->spill = ualloc(s, SPILL_BYTES);
  s->handlers = ualloc(s, 8);
  return s->slots && s->spill && s->handlers ? 0 : -1;
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

/* The memory whose reservation is number k, NULL if none. The kernel keeps its own list of
 * them (pages of 512 pointers, allocated as memories are created): a fault must find the
 * memory from the address alone. */
static struct memory **memory_slot(struct store *s, u64 k, int alloc) {
  u64 **dir = &s->memdir[k / MEMDIR_PER_PAGE];
  if (!*dir && alloc) *dir = kalloc();
  return *dir ? (struct memory **)&(*dir)[k % MEMDIR_PER_PAGE] : NULL;
}

/* A memory of min pages growing to at most max. A 32-bit memory reaches 4 GiB (65536 pages);
 * a 64-bit one (memory64), whose every access compiled code checks against the size, may fill
 * its whole 8 GiB reservation: larger minimums fail to instantiate, larger grows answer -1. */
u64 memory_new(struct store *s, u64 min, u64 max, int index64) {
  u64 reach = index64 ? USER_MEM_RESERVE / WASM_PAGE : 65536;
  if (s->nmemories >= MAX_MEMORIES || min > reach) return 0;
  struct memory **slot = memory_slot(s, s->nmemories, 1);
  struct memory *m = slot ? (struct memory *)ualloc(s, sizeof *m) : NULL;
  if (!m) return 0;
  m->base = USER_MEM_BASE + s->nmemories++ * USER_MEM_SLOT + MEM_LOW_GUARD;
  m->max_pages = max == NO_MAX || max > reach ? reach : max;
  m->declared_max = max;
  m->index64 = (u64)index64;
  m->pages = min; /* no page is mapped: each is mapped on its first touch */
  *slot = m;
  return (u64)m;
}

/* memory.grow: only the size moves. The pages come when they are touched, so growing costs
 * no physical memory (as with wasmtime, where the host maps them lazily); the limits are the
 * memory's maximum and the run's --max-memory (s->mem_limit pages). */
i64 memory_grow(struct store *s, struct memory *m, u64 delta) {
  u64 old = m->pages, limit = m->max_pages;
  if (s->mem_limit < limit) limit = s->mem_limit;
  if (delta > limit || old + delta > limit) return -1;
  m->pages = old + delta;
  return (i64)old;
}

/* The memory whose slot holds user address va, NULL if none. */
struct memory *memory_at(struct store *s, u64 va) {
  if (va < USER_MEM_BASE || va >= USER_MEM_END) return NULL;
  struct memory **slot = memory_slot(s, (va - USER_MEM_BASE) / USER_MEM_SLOT, 0);
  return slot ? *slot : NULL;
}

/* Map page p of a memory unless it is mapped: 1 mapped now, 0 already mapped, -1 no page. */
static int map_page(struct store *s, u64 p) {
  pte_t *pte; /* one walk (none in the last region): is it mapped, where would it go */
  if (s->fault_table && p >> 21 == s->fault_region) {
    pte = &s->fault_table[(p >> 12) & 511];
  } else {
    pte = uvm_leaf(s->root, p, KERNEL_RESERVE_PAGES);
    if (!pte) return -1; /* no page for a table */
    s->fault_table = pte - ((p >> 12) & 511), s->fault_region = p >> 21;
  }
  if (*pte & PTE_V) return 0;
  void *page = kalloc_above(KERNEL_RESERVE_PAGES);
  if (!page) return -1;
  uvm_set(pte, (u64)page, PTE_R | PTE_W | PTE_U);
  sfence_vma_page(p);
  return 1;
}

/* A page fault at user address va. If va lies in a memory reservation below the memory's size,
 * map zeroed pages for the access (an access of up to 8 bytes may straddle two pages) and
 * answer FAULT_MAPPED: the access is retried. Below the base (the low guard, reached only by a
 * folded access whose 32-bit address wrapped) the answer is FAULT_WRAPPED: guest/wrap.c
 * decides. Physical memory is accounted: the last KERNEL_RESERVE_PAGES free pages stay with the
 * kernel (page tables, host call buffers), and a fault that would need them is
 * FAULT_NO_MEMORY. */
int memory_fault(struct store *s, u64 va) {
  if (va < USER_MEM_BASE || va >= USER_MEM_END) return FAULT_NOT_MEMORY;
  struct memory *m = memory_at(s, va);
  if (!m) return FAULT_OUT_OF_BOUNDS;
  if (va < m->base) return FAULT_WRAPPED;
  u64 end = m->base + m->pages * WASM_PAGE;
  u64 p = PGROUNDDOWN(va), last = PGROUNDDOWN(va + 7); /* an access may straddle two pages */
  if (p >= end) return FAULT_OUT_OF_BOUNDS;
  int mapped = map_page(s, p);
  if (mapped >= 0 && last != p && last < end) {
    int second = map_page(s, last);
    mapped = second < 0 ? second : mapped | second;
  }
  return mapped < 0 ? FAULT_NO_MEMORY : mapped ? FAULT_MAPPED : FAULT_OUT_OF_BOUNDS;
}

/* Every page and table of a store, and the kernel's own list of its memories. */
void store_destroy(struct store *s) {
  uvm_destroy(s->root);
  gc_destroy(s);
  for (u64 i = 0; i < MAX_MEMORIES / MEMDIR_PER_PAGE; i++)
    if (s->memdir[i]) kfree(s->memdir[i]);
}

u64 table_new(struct store *s, u64 min, u64 max, u64 elem, int index64) {
  struct table *t = (struct table *)ualloc(s, sizeof *t);
  if (!t) return 0;
  t->max = max;
  t->elem = elem;
  t->index64 = (u64)index64;
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
