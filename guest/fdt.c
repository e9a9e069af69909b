/* fdt.c: the few facts the kernel needs from the flattened device tree that OpenSBI passes in
 * a1 (devicetree specification, "Flattened Devicetree (DTB) Format"): the end of RAM
 * (/memory@... reg) and where QEMU loaded the initrd, which carries the host's command script
 * (/chosen linux,initrd-start and linux,initrd-end), and the first CPU's ISA string
 * (/cpus/cpu@N riscv,isa) for isa.c; and where the blob itself lies, which with the command
 * script (the initrd, kept out of the allocator) is what the boot wrote in RAM past the image
 * (guest/kalloc.c zeroes the blob's pages when it hands them out). */
#include "osb.h"

#define FDT_MAGIC 0xD00DFEED
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static u32 be32(const void *p) {
  const u8 *b = p;
  return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static u64 cells(const u8 *p, u32 len) {
  return len >= 8 ? ((u64)be32(p) << 32) | be32(p + 4) : be32(p);
}

static int starts_with(const char *s, const char *prefix) {
  while (*prefix)
    if (*s++ != *prefix++) return 0;
  return 1;
}

void fdt_scan(u64 dtb, struct boot_info *info) {
  const u8 *base = (const u8 *)dtb;
  if (!dtb || be32(base) != FDT_MAGIC) return;
  info->dtb_start = dtb, info->dtb_end = dtb + be32(base + 4); /* totalsize */
  const u8 *p = base + be32(base + 8);            /* off_dt_struct */
  const char *strings = (const char *)base + be32(base + 12); /* off_dt_strings */
  const char *node = "";
  for (;;) {
    u32 token = be32(p);
    p += 4;
    if (token == FDT_BEGIN_NODE) {
      node = (const char *)p;
      p += (strlen(node) + 4) & ~3UL;
    } else if (token == FDT_PROP) {
      u32 len = be32(p), nameoff = be32(p + 4);
      const u8 *value = p + 8;
      const char *name = strings + nameoff;
      if (starts_with(node, "memory") && strcmp(name, "reg") == 0 && len >= 16)
        info->ram_end = cells(value, 8) + cells(value + 8, 8);
      else if (strcmp(node, "chosen") == 0 && strcmp(name, "linux,initrd-start") == 0)
        info->initrd_start = cells(value, len);
      else if (strcmp(node, "chosen") == 0 && strcmp(name, "linux,initrd-end") == 0)
        info->initrd_end = cells(value, len);
      else if (starts_with(node, "cpu@") && strcmp(name, "riscv,isa") == 0 && !info->isa)
        info->isa = (const char *)value; /* NUL-terminated, inside the DTB */
      p = value + ((len + 3) & ~3UL);
    } else if (token == FDT_END_NODE) {
      node = "";
    } else if (token != FDT_NOP) {
      return; /* FDT_END or garbage */
    }
  }
}
