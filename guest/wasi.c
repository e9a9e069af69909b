/* wasi.c: WASI preview 1 (wasi_snapshot_preview1) host functions.
 *
 * Here: arguments and environment (from the host's script), the console behind stdio (fd 0
 * from the host's stdin, fd 1/2 as console channels 1/2, both over the virtio console port
 * of vconsole.c), clocks
 * (realtime from the virt machine's goldfish RTC, monotonic from the time CSR), random_get
 * (virtio-rng), proc_exit, sched_yield and poll_oneoff (clocks; fd subscriptions are reported
 * ready at once; a closed one fails the call with EBADF). The fd_*, path_* and sock_* calls
 * are wasifs.c's, on its descriptor table, where stdio is three ordinary entries. */
#include "netport.h"
#include "riscv.h"
#include "vconsole.h"
#include "proc.h"

#define GOLDFISH_RTC 0x101000UL

struct wasi wasi_state;

static u64 realtime_ns(void) {
  volatile u32 *rtc = (volatile u32 *)GOLDFISH_RTC;
  u64 lo = rtc[0]; /* reading TIME_LOW latches TIME_HIGH */
  u64 hi = rtc[1];
  return (hi << 32) | lo;
}

/* argv/environ: count and total size, then pointers and the NUL-terminated strings. */
static int sizes_get(u64 vmctx, u64 *slots, const struct strings *list) {
  u8 *count = user_mem(vmctx, (u32)ARG(0), 4), *size = user_mem(vmctx, (u32)ARG(1), 4);
  if (!count || !size) return RET(E_FAULT);
  put32(count, list->count);
  put32(size, (u32)list->bytes);
  return RET(E_SUCCESS);
}

static int list_get(u64 vmctx, u64 *slots, const struct strings *list) {
  u32 ptrs = (u32)ARG(0), buf = (u32)ARG(1);
  u8 *p = user_mem(vmctx, ptrs, 4UL * list->count), *b = user_mem(vmctx, buf, list->bytes);
  if (!p || !b) return RET(E_FAULT);
  memcpy(b, list->data, list->bytes);
  u64 off = 0;
  for (u32 i = 0; i < list->count; i++) {
    put32(p + 4 * i, buf + (u32)off);
    off += strlen(list->data + off) + 1;
  }
  return RET(E_SUCCESS);
}

/* args_sizes_get/args_get and environ_sizes_get/environ_get: the same two calls on the two
 * lists the host's script filled. */
#define STRINGS_CALLS(prefix, list)                                   \
  int prefix##_sizes_get(struct store *s, u64 v, u64 *slots) {        \
    (void)s;                                                          \
    return sizes_get(v, slots, &myproc()->wasi.list);                   \
  }                                                                   \
  int prefix##_get(struct store *s, u64 v, u64 *slots) {              \
    (void)s;                                                          \
    return list_get(v, slots, &myproc()->wasi.list);                   \
  }
STRINGS_CALLS(args, args)
STRINGS_CALLS(environ, env)
#undef STRINGS_CALLS

#define POLL_TICKS 10000 /* 1 ms of the 10 MHz time CSR between polls of a device */

/* Nothing has arrived on a polled device (the console, sockets: not interrupt-driven). With
 * other processes in the system, sleep between polls: the hart goes to them or idles, and
 * either way lets go of the big kernel lock, which processes on other harts need for every
 * system call. Alone, poll again at once. */
static void poll_pause(void) {
  if (proc_live > 1) proc_sleep(NULL, r_time() + POLL_TICKS);
}

/* Console stdin: alone, the read waits in the console driver; with other processes, it polls
 * (poll_pause) so that it never waits holding the hart or the lock. */
static u64 stdin_read(u8 *data, u64 len, int wait) {
  for (;;) {
    int alone = proc_live == 1;
    u64 got = vcons_read(data, len, wait && alone);
    if (got || !wait || alone || vcons_eof() || myproc()->kill) return got;
    poll_pause();
  }
}

/* fd_read(fd, iovs, iovs_len, nread) on stdin: waits for the first byte (or the end of
 * file), then fills the buffers with what has arrived. Without the script's `stdin` line (or
 * without a console port), fd 0 is at end of file. */
int console_read(u64 v, struct wfd *f, u64 *slots) {
  (void)f;
  u32 n = (u32)ARG(2);
  u8 *iovs = user_mem(v, (u32)ARG(1), 8UL * n), *out = user_mem(v, (u32)ARG(3), 4);
  if (!iovs || !out) return E_FAULT;
  u64 total = 0;
  for (u32 i = 0; i < n && myproc()->wasi.stdin_open; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = user_mem(v, get32(iovs + 8 * i), len);
    if (!data) return E_FAULT;
    u64 got = stdin_read(data, len, total == 0);
    total += got;
    if (got < len) break;
  }
  put32(out, (u32)total);
  return E_SUCCESS;
}

/* fd_write(fd, iovs, iovs_len, nwritten) on stdout (channel 1) or stderr (channel 2). */
int console_write(u64 v, struct wfd *f, u64 *slots) {
  u32 n = (u32)ARG(2);
  u8 *iovs = user_mem(v, (u32)ARG(1), 8UL * n), *out = user_mem(v, (u32)ARG(3), 4);
  if (!iovs || !out) return E_FAULT;
  /* Only the first non-empty buffer is written, as wasmtime does: a short write is valid
   * WASI, and libc then writes the rest, so programs make the same calls (and spend the
   * same fuel) on both. */
  u32 written = 0;
  for (u32 i = 0; i < n && !written; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = user_mem(v, get32(iovs + 8 * i), len);
    if (!data) return E_FAULT;
    if (len) frame(f->kind == FD_STDOUT ? '1' : '2', (const char *)data, len);
    written = len;
  }
  put32(out, written);
  return E_SUCCESS;
}

/* stdio is a character device when the host's fd is a terminal, otherwise of unknown type,
 * as wasmtime reports it: libc's isatty() and buffering then behave the same on both. */
u8 console_filetype(const struct wfd *f) {
  return (myproc()->wasi.tty_mask >> (f->kind - FD_STDIN)) & 1 ? FT_CHAR : FT_UNKNOWN;
}

/* When a clock subscription (48 B: userdata@0 tag@8 id@16 timeout@24 precision@32 flags@40)
 * expires, in time-CSR nanoseconds, for a call that started at t0. */
static u64 clock_deadline(const u8 *sub, u64 t0) {
  u64 timeout;
  memcpy(&timeout, sub + 24, 8);
  u16 flags;
  memcpy(&flags, sub + 40, 2);
  u64 base = get32(sub + 16) == 0 ? realtime_ns() : t0;
  return (flags & 1) ? t0 + (timeout > base ? timeout - base : 0) : t0 + timeout;
}

/* poll_oneoff(in, out, nsubscriptions, nevents): waits until a subscription is ready and
 * reports those that are: fds whose read or write would not wait (sockets: wasisock.c; stdio
 * and 9P files never block the program for long, so they always are), else the clocks
 * expired (each by its own deadline). The port of forwarded connections is polled meanwhile.
 * event (32 B): userdata@0 error@8 type@10 nbytes@16 flags@24. */
static u32 poll_events(const u8 *in, u8 *out, u32 n, u64 t0, int clocks) {
  u64 now = r_time() * 100;
  u32 events = 0;
  for (u32 i = 0; i < n; i++) {
    const u8 *sub = in + 48 * i;
    u64 nbytes = 0;
    int ready = sub[8] == 0 ? clocks && clock_deadline(sub, t0) <= now
                            : !clocks && wasisock_ready(wasifs_entry(get32(sub + 16)), sub[8],
                                                        &nbytes);
    if (!ready) continue;
    u8 *ev = out + 32 * events++;
    memset(ev, 0, 32);
    memcpy(ev, sub, 8);
    ev[10] = sub[8];
    put64(ev + 16, nbytes);
  }
  return events;
}

/* Nothing is ready yet: with only clocks to wait for, sleep until the first expires (the hart
 * goes to another process, or idles); with descriptors too, poll again (poll_pause). */
static void poll_wait(const u8 *in, u32 n, u64 t0) {
  u64 first = ~0UL;
  for (u32 i = 0; i < n; i++) {
    const u8 *sub = in + 48 * i;
    if (sub[8] != 0) return poll_pause();
    u64 at = clock_deadline(sub, t0);
    if (at < first) first = at;
  }
  proc_sleep(NULL, first / 100 + 1); /* ns to ticks of the time CSR, rounded up */
}

int poll_oneoff(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 n = (u32)ARG(2);
  u8 *in = user_mem(v, (u32)ARG(0), 48UL * n), *out = user_mem(v, (u32)ARG(1), 32UL * n);
  u8 *count = user_mem(v, (u32)ARG(3), 4);
  if (!in || !out || !count || n == 0) return RET(n == 0 ? E_INVAL : E_FAULT);
  u64 t0 = r_time() * 100;
  for (u32 i = 0; i < n; i++)
    if (in[48 * i + 8] != 0 && !wasifs_is_open(get32(in + 48 * i + 16)))
      return RET(E_BADF); /* as wasmtime */
  u32 events;
  for (;;) {
    netport_poll();
    events = poll_events(in, out, n, t0, 0);
    if (!events) events = poll_events(in, out, n, t0, 1);
    if (events || myproc()->kill) break; /* killed: the run loop ends it after this call */
    poll_wait(in, n, t0);
  }
  put32(count, events);
  return RET(E_SUCCESS);
}

int not_supported(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(E_NOTSUP);
}

/* clock_time_get(id, precision, time): 0 realtime, 1 monotonic; the cpu-time clocks (2, 3)
 * answer EBADF, as wasmtime does. */
int clock_time_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *out = user_mem(v, (u32)ARG(2), 8);
  if (!out) return RET(E_FAULT);
  u32 id = (u32)ARG(0);
  if (id > 3) return RET(E_INVAL);
  if (id > 1) return RET(E_BADF);
  put64(out, id == 0 ? realtime_ns() : r_time() * 100); /* time CSR: 10 MHz */
  return RET(E_SUCCESS);
}

int clock_res_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *out = user_mem(v, (u32)ARG(1), 8);
  if (!out) return RET(E_FAULT);
  if ((u32)ARG(0) > 3) return RET(E_INVAL);
  if ((u32)ARG(0) > 1) return RET(E_BADF);
  put64(out, ARG(0) == 0 ? 1 : 100);
  return RET(E_SUCCESS);
}

/* Without the entropy device (an image booted by hand), xoshiro256** seeded from the clock. */
static u64 next_random(void) {
  u64 *x = wasi_state.rng;
  u64 r = x[1] * 5;
  r = ((r << 7) | (r >> 57)) * 9;
  u64 t = x[1] << 17;
  x[2] ^= x[0], x[3] ^= x[1], x[1] ^= x[2], x[0] ^= x[3], x[2] ^= t;
  x[3] = (x[3] << 45) | (x[3] >> 19);
  return r;
}

/* random_get: bytes from the host's entropy through virtio-rng. */
int random_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 len = (u32)ARG(1);
  u8 *buf = user_mem(v, (u32)ARG(0), len);
  if (!buf) return RET(E_FAULT);
  struct wasi *w = &wasi_state;
  if (!w->rng_dev.base) {
    if (!w->rng[0]) w->rng[0] = r_time() | 1, w->rng[1] = 0x9E3779B97F4A7C15UL;
    for (u32 i = 0; i < len; i++) buf[i] = (u8)(next_random() >> 56);
    return RET(E_SUCCESS);
  }
  for (u32 done = 0; done < len;) {
    u64 want = len - done > PGSIZE ? PGSIZE : len - done;
    u64 got = virtio_transfer(&w->rng_dev, NULL, 0, w->bounce, want);
    memcpy(buf + done, w->bounce, got);
    done += (u32)got;
  }
  return RET(E_SUCCESS);
}

void wasi_init(void) {
  struct wasi *w = &wasi_state;
  w->bounce = kalloc();
  if (!w->bounce) panic("out of memory for WASI");
  virtio_find(&w->rng_dev, VIRTIO_ID_RNG);
  vcons_init(); /* absent: output stays on the UART, stdin is at end of file */
  if (wasifs_init() < 0) panic("out of memory for WASI");
}

int proc_exit(struct store *s, u64 v, u64 *slots) {
  (void)v;
  (void)s;
  myproc()->wasi.exit_status = (int)(u32)ARG(0);
  return RUN_EXIT;
}

/* sched_yield in process 0 (every single-program run, and the script's own instances): the
 * answer only, so the host call costs what it did before processes (bench/hostcall.py). A
 * yield is a hint; process 0 runs wasm code only while the script does, before `wait`. */
int sched_yield(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(E_SUCCESS);
}

/* sched_yield in a program of its own (link.c binds it there): the hart to another runnable
 * program, if there is one. */
int sched_yield_proc(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  slots[0] = E_SUCCESS;
  return proc_yield_ok();
}

#define HOSTFN(module, name, sig, fn) {module, name, sig, fn},
const struct hostfn_entry wasi_fns[] = {
#include "wasi.def"
};
#undef HOSTFN
const u64 wasi_nfns = sizeof wasi_fns / sizeof wasi_fns[0];
