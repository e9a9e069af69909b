/* main.c: boot, then run the command script from the host (passed as the initrd).
 *
 * Script lines (docs/ARCHITECTURE.md), names in hex so that any byte can appear in them:
 *   instantiate M | register I NAME | invoke I NAME [ARG...] | get I NAME | start I
 *   memhash I
 *   continue-on-trap | no-poweroff | deadline TICKS | fuel N | max-memory PAGES | store N
 *   drop-store N | meminfo | instret | stats
 *   interactive (further lines come from the UART until `quit`)
 *   arg S | env K=V | stdin | dir NAME   (WASI: argv, environ, stdin frames, a preopen)
 *   tcplisten                 (WASI: the listening socket of --tcplisten, netport.c)
 *   proc M NAME               (a program of its own, proc.h: the lines up to `spawn` configure
 *                              it: arg, env, stdin, tty, dir, fuel, max-memory, deadline, and
 *   stdin-pipe K | stdout-pipe K | main   its stdio wiring and whether it is the main one)
 *   spawn                     (start it; it runs when the script waits)
 *   wait                      (until every program ended, each reported by an E frame; the
 *                              run's status becomes the main one's, or the first failure's)
 * instantiate, register, invoke, get, start, meminfo, memhash and instret are answered by
 * exactly one frame: R, T or L; the session settings by none. */
#include "debug.h"
#include "riscv.h"
#include "store.h"
#include "proc.h"

struct osb_debug osb_debug = {.version = 1};

/* Keep the debugger's table in step with an instance after a command on it. */
static void debug_note(u64 id, u32 store, struct instance *inst, int code) {
  if (id >= DEBUG_MAX_INSTANCES) return;
  struct osb_debug_instance *d = &osb_debug.inst[id];
  for (u32 m = 0; m < osb_nmodules; m++)
    if (osb_modules[m] == inst->mod) d->module = m;
  d->vmctx = inst->vmctx;
  d->store = store;
  d->memory = inst->vmctx ? (u64)vmctx_memory(inst->vmctx) : 0;
  if (code >= 0) d->last_trap = (u32)code + 1;
  d->state = !inst->ok ? DBG_FAILED : code >= 0 ? DBG_TRAPPED : DBG_READY;
  if (id + 1 > osb_debug.ninstances) osb_debug.ninstances = (u32)id + 1;
  osb_debug.current = (u32)id;
}

/* The command interpreter's state: stores (one address space each) and the global numbering
 * of instances across them. A store can be dropped, which frees every page it used and every
 * instance in it. Instance ids count up for the whole session and are never reused (a stale id
 * never names a newer instance); each lives in its instance (struct instance.id), so nothing
 * per id outlives its store and the number of instantiations in a session is unbounded. */
#define MAX_STORES 16
#define LIMIT_TEXT_(n) #n
#define LIMIT_TEXT(n) LIMIT_TEXT_(n) /* a limit's number in a message */

struct session {
  struct store stores[MAX_STORES];
  u32 cur;      /* the store `instantiate` uses */
  u64 next_id;  /* the id the next `instantiate` gets */
  u64 last_id;  /* instance of the current command */
  u32 last_store; /* and its store */
  int continue_on_trap;
  int no_poweroff; /* debug sessions: stay up after the script for inspection */
  u64 fuel;
  u64 mem_limit; /* max-memory: wasm pages no linear memory may exceed (NO_MEM_LIMIT) */
  int stats;     /* `stats`: an M frame after every start/invoke (osbuild run --stats) */
  struct proc *target; /* the program being configured (`proc` up to `spawn`), or NULL */
  int status;          /* the run's exit status if the script ends without a failure: the
                        * programs' (`wait`) */
};

static struct session session;

/* The store's page table becomes the active one: the kernel reads its vmctx and memories at
 * their user addresses. */
static struct store *use_store(struct session *k, u32 n) {
  struct store *s = &k->stores[n];
  if (!s->root) {
    if (store_init(s) < 0) panic("out of memory creating a store");
    spectest_init(s);
  }
  s->fuel = k->fuel;
  s->mem_limit = k->mem_limit;
  uvm_activate(s->root);
  return s;
}

static void drop_store(struct session *k, u32 n) {
  struct store *s = &k->stores[n];
  if (!s->root) return;
  csr_write(satp, 0); /* Bare: never run on a page table being freed */
  sfence_vma();
  for (u32 i = 0; i < s->ninst; i++) /* the debugger's table: these ids are gone */
    if (s->inst[i].id < DEBUG_MAX_INSTANCES) osb_debug.inst[s->inst[i].id].state = DBG_DROPPED;
  store_destroy(s);
  memset(s, 0, sizeof *s);
}

static int answer_i64(u64 v) {
  struct buf b = {0};
  buf_str(&b, "i64:");
  buf_hex(&b, v);
  buf_send(&b, 'R');
  return RUN_OK;
}

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

/* The instance with a global id, NULL if there is none (never was, or its store was dropped):
 * within a store, ids increase with the instance index, so a binary search in each store. */
static struct instance *find_instance(struct session *k, u64 id, u32 *store) {
  for (u32 n = 0; n < MAX_STORES; n++) {
    struct store *s = &k->stores[n];
    u32 lo = 0, hi = s->ninst;
    while (lo < hi) {
      u32 mid = lo + (hi - lo) / 2;
      if (s->inst[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo < s->ninst && s->inst[lo].id == id) return *store = n, &s->inst[lo];
  }
  return NULL;
}

/* Resolve a global instance id, activating its store. */
static struct instance *instance_arg(struct session *k, struct cursor *c, struct store **out) {
  u64 id = number(c);
  k->last_id = id;
  struct instance *inst = find_instance(k, id, &k->last_store);
  if (inst) *out = use_store(k, k->last_store);
  return inst;
}

static void bad_line(const char *why) { frame('L', why, strlen(why)); }

/* The timer interrupts the running wasm code when the deadline passes (trap.c); a program
 * being configured gets it relative to its start. */
static int set_deadline(struct session *k, u64 ticks) {
  if (k->target) return k->target->deadline = ticks ? ticks : 1, RUN_OK;
  myproc()->deadline = r_time() + ticks;
  proc_timer_arm();
  return RUN_OK;
}

#define NOT_A_SESSION_COMMAND (-100)

/* Append a hex-encoded string to a WASI argument or environment list. */
static int add_string(struct strings *list, struct cursor *c) {
  char tmp[4096];
  u64 n = name(c, tmp, sizeof tmp);
  if (list->bytes + n + 1 > sizeof list->data) return bad_line("arguments too long"), RUN_FAILED;
  memcpy(list->data + list->bytes, tmp, n);
  list->data[list->bytes + n] = 0;
  list->bytes += n + 1;
  list->count++;
  return RUN_OK;
}

/* Programs of their own (proc.h): `proc`, its wiring, `spawn`, `wait`. */
static int program_command(struct session *k, struct cursor *c, const char *cmd, u64 len) {
  if (is_cmd(cmd, len, "proc")) {
    if (k->target) return bad_line("proc: the previous program was not spawned"), RUN_FAILED;
    u32 module = (u32)number(c);
    char nm[32];
    u64 n = name(c, nm, sizeof nm);
    if (module >= osb_nmodules) return bad_line("proc: no such module"), RUN_FAILED;
    k->target = proc_new(module, nm, n);
    k->target->fuel = k->fuel;
    k->target->mem_limit = k->mem_limit;
    return RUN_OK;
  }
  int wiring = is_cmd(cmd, len, "stdin-pipe") || is_cmd(cmd, len, "stdout-pipe") ||
               is_cmd(cmd, len, "main") || is_cmd(cmd, len, "spawn");
  if (wiring && !k->target) return bad_line("no program is being configured"), RUN_FAILED;
  if (is_cmd(cmd, len, "stdin-pipe") || is_cmd(cmd, len, "stdout-pipe")) {
    u64 pipe = number(c);
    if (pipe >= MAX_PIPES) return bad_line("no such pipe"), RUN_FAILED;
    *(cmd[3] == 'i' ? &k->target->stdin_pipe : &k->target->stdout_pipe) = (int)pipe;
    return RUN_OK;
  }
  if (is_cmd(cmd, len, "main")) return k->target->main = 1, RUN_OK;
  if (is_cmd(cmd, len, "spawn")) {
    int code = proc_spawn(k->target);
    k->target = NULL;
    return code;
  }
  if (is_cmd(cmd, len, "wait")) return k->status = proc_wait_all(), RUN_OK;
  return NOT_A_SESSION_COMMAND;
}

/* Commands that configure the session; NOT_A_SESSION_COMMAND when cmd is not one of them. */
static int session_command(struct session *k, struct cursor *c, const char *cmd, u64 len) {
  if (is_cmd(cmd, len, "continue-on-trap")) return k->continue_on_trap = 1, RUN_OK;
  if (is_cmd(cmd, len, "no-poweroff")) return k->no_poweroff = 1, RUN_OK;
  if (is_cmd(cmd, len, "fuel")) return *(k->target ? &k->target->fuel : &k->fuel) = number(c), RUN_OK;
  if (is_cmd(cmd, len, "max-memory"))
    return *(k->target ? &k->target->mem_limit : &k->mem_limit) = number(c), RUN_OK;
  if (is_cmd(cmd, len, "deadline")) return set_deadline(k, number(c));
  if (is_cmd(cmd, len, "store")) {
    u64 n = number(c);
    if (n >= MAX_STORES) return bad_line("no such store"), RUN_FAILED;
    k->cur = (u32)n;
    return RUN_OK;
  }
  if (is_cmd(cmd, len, "drop-store")) {
    u64 n = number(c);
    if (n >= MAX_STORES) return bad_line("no such store"), RUN_FAILED;
    drop_store(k, (u32)n);
    return RUN_OK;
  }
  struct proc *t = k->target ? k->target : myproc(); /* whom arg, env, stdin, tty, dir set up */
  if (is_cmd(cmd, len, "arg")) return add_string(&t->wasi.args, c);
  if (is_cmd(cmd, len, "env")) return add_string(&t->wasi.env, c);
  if (is_cmd(cmd, len, "stdin")) return t->wasi.stdin_open = 1, RUN_OK;
  if (is_cmd(cmd, len, "tty")) return t->wasi.tty_mask = (unsigned)number(c), RUN_OK;
  int done = program_command(k, c, cmd, len);
  if (done != NOT_A_SESSION_COMMAND) return done;
  if (is_cmd(cmd, len, "tcplisten")) /* after the dirs: host/netproxy.py says why */
    return wasisock_listen() < 0 ? (bad_line("cannot attach the --tcplisten socket"), RUN_FAILED)
                                 : RUN_OK;
  if (is_cmd(cmd, len, "dir")) {
    char tmp[128];
    u64 n = name(c, tmp, sizeof tmp);
    if (wasifs_preopen(&t->fdt, tmp, n) < 0)
      return bad_line("cannot attach a --dir directory"), RUN_FAILED;
    return RUN_OK;
  }
  if (is_cmd(cmd, len, "meminfo")) return answer_i64(kfree_pages());
  /* Tests of the panic path only: an illegal instruction in S-mode, i.e. a kernel bug. Only
   * the host writes the command script; nothing a wasm program does reaches this line. */
  if (is_cmd(cmd, len, "debug-kernel-fault")) __asm__ volatile("unimp");
  if (is_cmd(cmd, len, "instret")) return answer_i64(csr_read(instret));
  if (is_cmd(cmd, len, "stats")) return k->stats = 1, RUN_OK;
  if (is_cmd(cmd, len, "instantiate")) {
    struct store *s = use_store(k, k->cur);
    if (s->ninst >= MAX_INSTANCES)
      return bad_line("too many instances in this store (" LIMIT_TEXT(MAX_INSTANCES) ")"),
             RUN_FAILED;
    u64 id = k->next_id++;
    s->inst[s->ninst].id = id; /* instantiate() takes this slot whatever happens */
    osb_debug.running = 1;
    int code = instantiate(s, (u32)number(c));
    osb_debug.running = 0;
    debug_note(id, k->cur, &s->inst[s->ninst - 1], code);
    return code;
  }
  return NOT_A_SESSION_COMMAND;
}

static void interactive(struct session *k) __attribute__((noreturn));

#define FNV_PRIME 0x100000001B3UL

/* `memhash I`: FNV-1a of instance I's whole linear memory and its size in pages, so that a
 * differential test can compare final memories without moving them to the host. A page never
 * touched is not mapped and holds zeros: FNV-1a of a zero byte is one multiplication by the
 * prime, so such a page multiplies the hash by prime^4096 and is neither read nor mapped. */
static int memory_hash(struct store *s, struct instance *inst) {
  struct memory *m = inst->vmctx ? vmctx_memory(inst->vmctx) : NULL;
  u64 h = 0xCBF29CE484222325UL, pages = m ? m->pages : 0, zero_page = FNV_PRIME;
  for (u64 i = 1; i < PGSIZE; i <<= 1) zero_page *= zero_page;
  for (u64 va = m ? m->base : 0; va < (m ? m->base + pages * WASM_PAGE : 0); va += PGSIZE) {
    if (!uvm_translate(s->root, va)) {
      h *= zero_page;
      continue;
    }
    const u8 *p = (const u8 *)va;
    for (u64 i = 0; i < PGSIZE; i++) h = (h ^ p[i]) * FNV_PRIME;
  }
  struct buf b = {0};
  buf_str(&b, "i64:");
  buf_hex(&b, h);
  buf_str(&b, " i32:");
  buf_hex(&b, pages);
  buf_send(&b, 'R');
  return RUN_OK;
}

/* invoke(), and with `stats` an M frame after it (after its answer, also when the program
 * called proc_exit): "instret N peak-pages P gc-collections C gc-peak B", the instructions
 * retired from just before entering U-mode to just after the call ended (host calls included;
 * exact under QEMU's -icount), the most physical pages ever in use, and the store's garbage
 * collections so far and the most bytes its GC heap ever held. */
static int measured_invoke(struct session *k, struct store *s, struct instance *inst,
                           const char *name, u64 len, u64 *args, u32 nargs) {
  u64 before = csr_read(instret);
  int code = invoke(s, inst, name, len, args, nargs);
  u64 after = csr_read(instret);
  if (k->stats) {
    struct buf b = {0};
    buf_str(&b, "instret ");
    buf_dec(&b, (i64)(after - before));
    buf_str(&b, " peak-pages ");
    buf_dec(&b, (i64)kpeak_pages());
    buf_str(&b, " gc-collections ");
    buf_dec(&b, (i64)s->gc.collections);
    buf_str(&b, " gc-peak ");
    buf_dec(&b, (i64)s->gc.peak);
    buf_send(&b, 'M');
  }
  return code;
}

static int run_line(struct session *k, struct cursor *c) {
  static char nm[4096];
  u64 len;
  const char *cmd = word(c, &len);
  if (len == 0) return RUN_OK;
  if (is_cmd(cmd, len, "interactive")) interactive(k);
  int done = session_command(k, c, cmd, len);
  if (done != NOT_A_SESSION_COMMAND) return done;
  struct store *s;
  struct instance *inst = instance_arg(k, c, &s);
  if (!inst) return bad_line("no such instance"), RUN_FAILED;
  if (is_cmd(cmd, len, "start")) {
    if (!inst->ok) return bad_line("instance failed"), RUN_FAILED;
    if (!find_export(inst->mod, "_start", 6)) return frame('R', "", 0), RUN_OK;
    osb_debug.running = 1;
    int code = measured_invoke(k, s, inst, "_start", 6, NULL, 0);
    osb_debug.running = 0;
    debug_note(k->last_id, k->last_store, inst, code);
    return code;
  }
  u64 n = is_cmd(cmd, len, "memhash") ? 0 : name(c, nm, sizeof nm);
  if (is_cmd(cmd, len, "register")) {
    /* In the store's own data (freed with it), so that registering never runs out */
    char *copy = (char *)ualloc(s, n ? n : 1);
    if (!copy) return bad_line("out of memory for a name"), RUN_FAILED;
    memcpy(copy, nm, n);
    inst->regname = copy;
    inst->regname_len = n;
    frame('R', "", 0);
    return RUN_OK;
  }
  if (is_cmd(cmd, len, "get")) return get_global(s, inst, nm, n);
  if (is_cmd(cmd, len, "memhash")) return memory_hash(s, inst);
  if (is_cmd(cmd, len, "invoke")) {
    u64 args[64];
    u32 nargs = 0;
    while (!at_eol(c) && nargs < 64) args[nargs++] = number(c);
    osb_debug.current = (u32)k->last_id;
    osb_debug.running = 1;
    int code = measured_invoke(k, s, inst, nm, n, args, nargs);
    osb_debug.running = 0;
    debug_note(k->last_id, k->last_store, inst, code);
    return code;
  }
  return bad_line("unknown command"), RUN_FAILED;
}

/* Commands from the UART, one line at a time, until `quit`: the host's embedding API
 * (osbuild.host.api) drives a live guest this way. A trap never ends this mode. */
static void interactive(struct session *k) {
  static char line[8192];
  k->continue_on_trap = 1;
  frame('R', "", 0); /* ready */
  for (;;) {
    u64 n = 0;
    for (char ch; (ch = uart_getc()) != '\n';)
      if (n < sizeof line) line[n++] = ch;
    if (n == 4 && memcmp(line, "quit", 4) == 0) poweroff(0);
    struct cursor c = {line, line + n};
    run_line(k, &c);
  }
}

/* Debug sessions end here; the host debugger keeps a breakpoint on it to learn that the
 * program finished, and the machine stays up for inspection. */
__attribute__((noinline, noreturn)) void osb_debug_halt(void) {
  for (;;) __asm__ volatile("wfi");
}

/* The end of the run: power off, or (debug sessions) report and stay up for inspection. */
static void finish(struct session *k, int status) {
  if (!k->no_poweroff) poweroff(status);
  struct buf b = {0};
  buf_dec(&b, status);
  buf_send(&b, 'X');
  osb_debug.exit_status = (u32)status;
  osb_debug.exited = 1;
  osb_debug_halt();
}

static void run_script(struct session *k, const char *p, u64 len) {
  struct cursor c = {p, p + len};
  while (c.p < c.end) {
    int code = run_line(k, &c);
    while (c.p < c.end && *c.p != '\n') c.p++;
    c.p++;
    if (code == RUN_EXIT) finish(k, myproc()->wasi.exit_status);
    if (code == RUN_OK || k->continue_on_trap) continue;
    /* A trap ends the run with 134, as `wasmtime run` does (SIGABRT's status); a kernel-side
     * refusal, or the one host error wasmtime reports as an error rather than a trap (WASI
     * without a memory export, guest/link.c), with 1. */
    finish(k, code == RUN_FAILED || code == TRAP_NO_MEMORY_EXPORT ? 1 : 134);
  }
  finish(k, k->status);
}

/* The command script when the device tree names no initrd: QEMU puts -initrd 128 MiB past the
 * image's start, inside an image larger than that, so for such an image the host loads the
 * script right after it instead (QEMU's loader device at __kernel_end), as text ended by the
 * zeros of untouched RAM (the script holds no NUL: host/protocol.py writes every string in
 * hex), so the hole ends where the file does and the fresh RAM after it is zero (kalloc.c).
 * Without a script, RAM there is zero: an empty one (the default). */
static void script_after_image(struct boot_info *info) {
  const char *s = __kernel_end;
  u64 n = 0;
  while ((u64)(s + n) < info->ram_end && s[n]) n++;
  info->initrd_start = (u64)s, info->initrd_end = (u64)s + n;
}

#define QEMU_FDT_LIMIT 0xC0000000UL /* QEMU riscv: the blob goes below min(RAM end, 3 GiB) */

void kmain(u64 hartid, u64 dtb, u64 t_entry) {
  uart_init();
  struct buf b = {0};
  buf_str(&b, "osbuild ");
  buf_hex(&b, t_entry);
  buf_send(&b, 'S');

  hart_csr_init();
  struct boot_info info = {RAM_BASE + (128UL << 20), 0, 0, 0, 0, NULL}; /* QEMU's -m 128M */
  fdt_scan(dtb, &info);
  isa_check(info.isa);
  if (info.initrd_end <= info.initrd_start) script_after_image(&info);
  /* The device tree's 2 MiB block: the bytes there are not known zero. QEMU 7.2 loads the blob
   * 2 MiB-aligned below the end of RAM or the 3 GiB mark (its size before packing, which may
   * pass the header's totalsize) and OpenSBI's fw_dynamic edits it in place and passes it in
   * a1; a firmware that copied it elsewhere would leave QEMU's copy behind, so the range
   * covers both blocks (the same one here). */
  u64 qemu_end = info.ram_end < QEMU_FDT_LIMIT ? info.ram_end : QEMU_FDT_LIMIT;
  u64 dirty = (qemu_end - 1) & ~(MEGAPAGE - 1), dirty_end = dirty + MEGAPAGE;
  if (info.dtb_start) {
    u64 block = info.dtb_start & ~(MEGAPAGE - 1);
    u64 block_end = info.dtb_end > block + MEGAPAGE ? info.dtb_end : block + MEGAPAGE;
    if (block < dirty) dirty = block;
    if (block_end > dirty_end) dirty_end = block_end;
  }
  kinit((u64)__kernel_end, info.ram_end, info.initrd_start, info.initrd_end, dirty, dirty_end);
  kvm_init(info.ram_end);
  proc_boot(cpu_boot(hartid));
  wasi_init();
  smp_start();

  /* The command script arrives as the initrd (-initrd FILE) or after the image; without one,
   * the default. */
  const char *script = default_script;
  u64 script_len = sizeof default_script - 1;
  if (info.initrd_end > info.initrd_start) {
    script = (const char *)info.initrd_start;
    script_len = info.initrd_end - info.initrd_start;
  }
  session.mem_limit = NO_MEM_LIMIT;
  run_script(&session, script, script_len);
}
