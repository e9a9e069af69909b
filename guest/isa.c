/* isa.c: the extensions compiled code was built for (isa.def, also read by jit/target.py) must
 * be ones this CPU implements. Checked once at boot against the device tree's riscv,isa string
 * of the first CPU, before any wasm code runs: a missing one is a one-line error, not an
 * illegal-instruction trap in the middle of a program. */
#include "osb.h"

static const char *const required[] = {
#define EXTENSION(name) #name,
#include "isa.def"
#undef EXTENSION
};

/* riscv,isa looks like "rv64imafdcvh_zicsr_zifencei_zba_zbb_sstc": the base and single-letter
 * extensions, then multi-letter ones, each after an underscore. A single letter is looked for
 * among the letters after "rv64"; a multi-letter one as a whole word between underscores. */
static int has_extension(const char *isa, const char *ext) {
  u64 n = strlen(ext);
  if (n == 1) {
    for (const char *p = isa + (strlen(isa) >= 4 ? 4 : 0); *p && *p != '_'; p++)
      if (*p == *ext) return 1;
    return 0;
  }
  for (const char *p = isa; *p;) {
    const char *end = p;
    while (*end && *end != '_') end++;
    if ((u64)(end - p) == n && memcmp(p, ext, n) == 0) return 1;
    p = *end ? end + 1 : end;
  }
  return 0;
}

void isa_check(const char *isa) {
  if (!isa) return; /* no riscv,isa in the device tree: nothing to check against */
  for (u64 i = 0; i < sizeof required / sizeof required[0]; i++) {
    if (has_extension(isa, required[i])) continue;
    struct buf b = {0};
    buf_str(&b, "this image needs the RISC-V extension ");
    buf_str(&b, required[i]);
    buf_str(&b, ", which the CPU lacks (its riscv,isa is ");
    buf_str(&b, isa);
    buf_str(&b, ")");
    buf_send(&b, 'P');
    poweroff(70);
  }
}
