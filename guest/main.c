/* main.c: boot, then run the command script from the host (passed as the initrd).
 *
 * Script lines (docs/ARCHITECTURE.md), names in hex so that any byte can appear in them:
 *   instantiate M | register I NAME | invoke I NAME [ARG...] | get I NAME | start I
 *   continue-on-trap | deadline TICKS | fuel N
 * Each line except the last two is answered by exactly one frame: R, T or L. */
#include "riscv.h"
#include "store.h"

static struct store the_store;

static const char default_script[] = "instantiate 0\nstart 0\n";

struct cursor { const char *p, *end; };

static int at_eol(struct cursor *c) {
  while (c->p < c->end && *c->p == ' ') c->p++;
  return c->p >= c->end || *c->p == '\n';
}

static const char *word(struct cursor *c, u64 *len) {
  at_eol(c);
  const char *start = c->p;
  while (c->p < c->end && *c->p != ' ' && *c->p != '\n') c->p++;
  *len = (u64)(c->p - start);
  return start;
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  return -1;
}

static u64 number(struct cursor *c) {
  u64 len, v = 0;
  const char *w = word(c, &len);
  for (u64 i = 0; i < len; i++) v = v * 16 + (u64)hexval(w[i]);
  return v;
}

/* A hex-encoded name ("-" is the empty name), decoded in place into out. */
static u64 name(struct cursor *c, char *out, u64 cap) {
  u64 len, n = 0;
  const char *w = word(c, &len);
  if (len == 1 && w[0] == '-') return 0;
  for (u64 i = 0; i + 1 < len && n < cap; i += 2) out[n++] = (char)(hexval(w[i]) * 16 + hexval(w[i + 1]));
  return n;
}

static int is_cmd(const char *w, u64 len, const char *cmd) {
  return len == strlen(cmd) && memcmp(w, cmd, len) == 0;
}

static struct instance *instance_arg(struct store *s, struct cursor *c) {
  u64 i = number(c);
  return i < s->ninst ? &s->inst[i] : NULL;
}

static void bad_line(const char *why) { frame('L', why, strlen(why)); }

static int run_line(struct store *s, struct cursor *c) {
  static char nm[4096];
  static char names[1 << 16];
  static u64 names_used;
  u64 len;
  const char *cmd = word(c, &len);
  if (len == 0) return RUN_OK;
  if (is_cmd(cmd, len, "instantiate")) return instantiate(s, (u32)number(c));
  if (is_cmd(cmd, len, "continue-on-trap")) return s->continue_on_trap = 1, RUN_OK;
  if (is_cmd(cmd, len, "fuel")) return s->fuel = number(c), RUN_OK;
  if (is_cmd(cmd, len, "deadline")) {
    s->deadline = r_time() + number(c);
    /* SBI timer extension ("TIME", function 0): interrupt when time >= deadline. */
    register u64 a0 __asm__("a0") = s->deadline;
    register u64 a6 __asm__("a6") = 0;
    register u64 a7 __asm__("a7") = 0x54494D45;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
    csr_set(sie, SIE_STIE);
    return RUN_OK;
  }
  struct instance *inst = instance_arg(s, c);
  if (!inst) return bad_line("no such instance"), RUN_FAILED;
  if (is_cmd(cmd, len, "start")) {
    if (!inst->ok) return bad_line("instance failed"), RUN_FAILED;
    if (!find_export(inst->mod, "_start", 6)) return frame('R', "", 0), RUN_OK;
    return invoke(s, inst, "_start", 6, NULL, 0);
  }
  u64 n = name(c, nm, sizeof nm);
  if (is_cmd(cmd, len, "register")) {
    if (names_used + n > sizeof names) return bad_line("too many names"), RUN_FAILED;
    memcpy(names + names_used, nm, n);
    inst->regname = names + names_used;
    inst->regname_len = n;
    names_used += n;
    frame('R', "", 0);
    return RUN_OK;
  }
  if (is_cmd(cmd, len, "get")) return get_global(s, inst, nm, n);
  if (is_cmd(cmd, len, "invoke")) {
    u64 args[64];
    u32 nargs = 0;
    while (!at_eol(c) && nargs < 64) args[nargs++] = number(c);
    return invoke(s, inst, nm, n, args, nargs);
  }
  return bad_line("unknown command"), RUN_FAILED;
}

static void run_script(struct store *s, const char *p, u64 len) {
  struct cursor c = {p, p + len};
  while (c.p < c.end) {
    int code = run_line(s, &c);
    while (c.p < c.end && *c.p != '\n') c.p++;
    c.p++;
    if (code == RUN_OK || s->continue_on_trap) continue;
    poweroff(code == RUN_FAILED ? 1 : 134);
  }
}

void kmain(u64 hartid, u64 dtb, u64 t_entry) {
  (void)hartid;
  uart_init();
  struct buf b = {0};
  buf_str(&b, "osbuild ");
  buf_hex(&b, t_entry);
  buf_send(&b, 'S');

  csr_write(stvec, (u64)trap_entry);
  csr_write(sscratch, 0);
  csr_set(sstatus, SSTATUS_SUM | SSTATUS_FS_INITIAL);
  struct boot_info info = {RAM_BASE + (128UL << 20), 0, 0}; /* QEMU's default -m 128M */
  fdt_scan(dtb, &info);
  kinit((u64)__kernel_end, info.ram_end, info.initrd_start, info.initrd_end);
  kvm_init(info.ram_end);

  /* The command script arrives as the initrd (-initrd FILE); without one, the default. */
  const char *script = default_script;
  u64 script_len = sizeof default_script - 1;
  if (info.initrd_end > info.initrd_start) {
    script = (const char *)info.initrd_start;
    script_len = info.initrd_end - info.initrd_start;
  }
  if (store_init(&the_store) < 0) panic("out of memory creating the store");
  spectest_init(&the_store);
  run_script(&the_store, script, script_len);
  poweroff(0);
}
