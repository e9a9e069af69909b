/* vm.c: Sv48 page tables (RISC-V privileged spec, "Sv48: Page-Based 48-bit Virtual Memory").
 *
 * Every store gets its own root table. Root entry 0, [0, 512 GiB), is shared by all stores
 * and holds the kernel: [0, 1 GiB) MMIO as one gigapage, [2 GiB, 3 GiB) RAM as 2 MiB
 * megapages identity-mapped for the kernel, except the megapages of the user region (module
 * code and U-mode stubs), which are U|R|X so U-mode can execute them and nothing else of the
 * kernel; the rest of RAM, however large, as gigapages for the kernel. Everything from 512 GiB to 128 TiB belongs to the store's instances: Sv48 rather than
 * Sv39 because each linear memory reserves 8 GiB and a spec script creates many of them. */
#include "osb.h"
#include "riscv.h"

#define PX(level, va) (((va) >> (12 + 9 * (level))) & 0x1FF)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define KERNEL_ROOTS 1 /* root entry 0 holds the kernel's shared mappings */
#define LEVELS 4

static pte_t kernel_root; /* root entry 0 of every store */

void kvm_init(u64 ram_end) {
  pte_t *ram = kalloc();
  if (!ram) panic("out of memory for page tables");
  u64 ustart = (u64)__user_start, uend = (u64)__user_end;
  for (u64 i = 0; i < 512; i++) {
    u64 pa = RAM_BASE + i * MEGAPAGE;
    int user = pa >= ustart && pa < uend;
    ram[i] = PA2PTE(pa) | PTE_V | PTE_R | PTE_X | PTE_A |
             (user ? PTE_U : (PTE_W | PTE_D | PTE_G));
  }
  pte_t *low = kalloc(); /* [0, 512 GiB) in 1 GiB entries */
  if (!low) panic("out of memory for page tables");
  low[0] = PA2PTE(0) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;
  low[2] = PA2PTE(ram) | PTE_V;
  for (u64 g = 1; RAM_BASE + g * GIGAPAGE < ram_end && 2 + g < 512; g++)
    low[2 + g] = PA2PTE(RAM_BASE + g * GIGAPAGE) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;
  kernel_root = PA2PTE(low) | PTE_V;
}

pte_t *uvm_create(void) {
  pte_t *root = kalloc();
  if (!root) return NULL;
  root[0] = kernel_root;
  return root;
}

/* The level-0 PTE for va, creating intermediate tables when alloc is set, while more than
 * `reserve` pages are free. */
static pte_t *walk(pte_t *root, u64 va, int alloc, u64 reserve) {
  pte_t *table = root;
  for (int level = LEVELS - 1; level > 0; level--) {
    pte_t *pte = &table[PX(level, va)];
    if (*pte & PTE_V) {
      if (*pte & (PTE_R | PTE_X)) return NULL; /* a superpage: not ours to split */
      table = (pte_t *)PTE2PA(*pte);
    } else {
      if (!alloc) return NULL;
      pte_t *next = kalloc_above(reserve);
      if (!next) return NULL;
      *pte = PA2PTE(next) | PTE_V;
      table = next;
    }
  }
  return &table[PX(0, va)];
}

/* The level-0 PTE for user address va, creating the tables above it while more than `reserve`
 * pages are free; NULL when it cannot (memory_fault: one walk finds whether the page is
 * mapped and where to map it, and its tables do not eat into the kernel's reserve either). */
pte_t *uvm_leaf(pte_t *root, u64 va, u64 reserve) { return walk(root, va, 1, reserve); }

int uvm_map(pte_t *root, u64 va, u64 pa, int perm) {
  pte_t *pte = uvm_leaf(root, va, 0);
  if (!pte || (*pte & PTE_V)) return -1;
  uvm_set(pte, pa, perm);
  return 0;
}

/* Map npages fresh zeroed pages at va. */
int uvm_alloc(pte_t *root, u64 va, u64 npages, int perm) {
  for (u64 i = 0; i < npages; i++) {
    void *page = kalloc();
    if (!page) return -1;
    if (uvm_map(root, va + i * PGSIZE, (u64)page, perm) < 0) {
      kfree(page);
      return -1;
    }
  }
  return 0;
}

u64 uvm_translate(pte_t *root, u64 va) {
  pte_t *pte = walk(root, va, 0, 0);
  if (!pte || !(*pte & PTE_V)) return 0;
  return PTE2PA(*pte) | (va & (PGSIZE - 1));
}

void uvm_activate(pte_t *root) {
  csr_write(satp, SATP_SV48 | ((u64)root >> 12));
  sfence_vma();
}

static void free_table(pte_t *table, int level) {
  for (int i = 0; i < 512; i++) {
    pte_t pte = table[i];
    if (!(pte & PTE_V)) continue;
    if (level > 0 && !(pte & (PTE_R | PTE_X)))
      free_table((pte_t *)PTE2PA(pte), level - 1);
    else
      kfree((void *)PTE2PA(pte));
  }
  kfree(table);
}

/* Free every user page and table of a store; the shared kernel entries stay. */
void uvm_destroy(pte_t *root) {
  for (int i = KERNEL_ROOTS; i < 512; i++) {
    pte_t pte = root[i];
    if ((pte & PTE_V) && !(pte & (PTE_R | PTE_X))) free_table((pte_t *)PTE2PA(pte), LEVELS - 2);
  }
  kfree(root);
}
