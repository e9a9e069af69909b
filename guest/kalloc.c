/* kalloc.c: physical page allocator: a free list of 4 KiB pages between the end of the image
 * and the end of RAM. Pages are handed out zeroed. */
#include "osb.h"

struct run { struct run *next; };

static struct {
  struct run *free;
  u64 nfree;
} kmem;

/* Free [start, end) except the pages of [hole_start, hole_end) (the initrd). */
void kinit(u64 start, u64 end, u64 hole_start, u64 hole_end) {
  hole_start = PGROUNDDOWN(hole_start);
  for (u64 p = PGROUNDDOWN(end) - PGSIZE; p >= PGROUNDUP(start); p -= PGSIZE)
    if (p + PGSIZE <= hole_start || p >= hole_end) kfree((void *)p);
}

void kfree(void *p) {
  struct run *r = p;
  r->next = kmem.free;
  kmem.free = r;
  kmem.nfree++;
}

void *kalloc(void) {
  struct run *r = kmem.free;
  if (!r) return NULL;
  kmem.free = r->next;
  kmem.nfree--;
  memset(r, 0, PGSIZE);
  return r;
}

u64 kfree_pages(void) { return kmem.nfree; }
