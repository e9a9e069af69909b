/* wasi.c: WASI preview 1 (wasi_snapshot_preview1) host functions.
 *
 * Implemented: arguments and environment (from the host's script), stdio (fd 0 from the
 * host's stdin as frames on the UART, fd 1/2 as console channels 1/2), clocks (realtime from
 * the virt machine's goldfish RTC, monotonic from the time CSR), random_get (virtio-rng), proc_exit,
 * sched_yield, poll_oneoff (clocks; fd subscriptions are reported ready at once) and the
 * fd_* calls on the three stdio descriptors. Files and directories of `--dir` go through
 * wasifs.c (9P). Sockets answer ENOTSUP (preview 1 programs cannot open any). */
#include "riscv.h"
#include "store.h"
#include "virtio.h"
#include "wasifs.h"

enum {
  ESUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, ENOTDIR = 54, ENOTSUP = 58,
  ESPIPE = 70,
};
#define FILETYPE_UNKNOWN 0
#define FILETYPE_CHARACTER_DEVICE 2
#define GOLDFISH_RTC 0x101000UL

struct wasi wasi_state;

/* A pointer into the caller's linear memory, or NULL when [ptr, ptr+len) is outside it. */
static u8 *mem(u64 vmctx, u64 ptr, u64 len) {
  struct memory *m = vmctx_memory(vmctx);
  if (!m || (u32)ptr != ptr || ptr + len > m->pages * WASM_PAGE) return NULL;
  return (u8 *)(m->base + ptr);
}

static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }
static u32 get32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }

static u64 realtime_ns(void) {
  volatile u32 *rtc = (volatile u32 *)GOLDFISH_RTC;
  u64 lo = rtc[0]; /* reading TIME_LOW latches TIME_HIGH */
  u64 hi = rtc[1];
  return (hi << 32) | lo;
}

#define ARG(i) (slots[i])
#define RET(v) (slots[0] = (u64)(v), RUN_OK)

/* argv/environ: count and total size, then pointers and the NUL-terminated strings. */
static int sizes_get(u64 vmctx, u64 *slots, const struct strings *list) {
  u8 *count = mem(vmctx, (u32)ARG(0), 4), *size = mem(vmctx, (u32)ARG(1), 4);
  if (!count || !size) return RET(EFAULT);
  put32(count, list->count);
  put32(size, (u32)list->bytes);
  return RET(ESUCCESS);
}

static int list_get(u64 vmctx, u64 *slots, const struct strings *list) {
  u32 ptrs = (u32)ARG(0), buf = (u32)ARG(1);
  u8 *p = mem(vmctx, ptrs, 4UL * list->count), *b = mem(vmctx, buf, list->bytes);
  if (!p || !b) return RET(EFAULT);
  memcpy(b, list->data, list->bytes);
  u64 off = 0;
  for (u32 i = 0; i < list->count; i++) {
    put32(p + 4 * i, buf + (u32)off);
    off += strlen(list->data + off) + 1;
  }
  return RET(ESUCCESS);
}

static int args_sizes_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return sizes_get(v, slots, &wasi_state.args);
}
static int args_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return list_get(v, slots, &wasi_state.args);
}
static int environ_sizes_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return sizes_get(v, slots, &wasi_state.env);
}
static int environ_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return list_get(v, slots, &wasi_state.env);
}

/* fd_write(fd, iovs, iovs_len, nwritten) */
static int fd_write(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 fd = (u32)ARG(0), n = (u32)ARG(2);
  if (fd > 2) return RET(wasifs_rw(v, slots, 1, 0));
  if (fd == 0) return RET(EBADF);
  u8 *iovs = mem(v, (u32)ARG(1), 8UL * n), *out = mem(v, (u32)ARG(3), 4);
  if (!iovs || !out) return RET(EFAULT);
  /* Only the first non-empty buffer is written, as wasmtime does: a short write is valid
   * WASI, and libc then writes the rest, so programs make the same calls (and spend the
   * same fuel) on both. */
  u32 written = 0;
  for (u32 i = 0; i < n && !written; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = mem(v, get32(iovs + 8 * i), len);
    if (!data) return RET(EFAULT);
    if (len) frame(fd == 1 ? '1' : '2', (const char *)data, len);
    written = len;
  }
  put32(out, written);
  return RET(ESUCCESS);
}

/* Stdin arrives from the host as frames on the UART: 0x1E, len_lo, len_hi, data; len 0 = EOF. */
static u64 stdin_fill(void) {
  struct wasi *w = &wasi_state;
  if (w->stdin_eof) return 0;
  while (uart_getc() != 0x1E)
    ;
  u64 len = (u8)uart_getc();
  len |= (u64)(u8)uart_getc() << 8;
  if (len == 0) {
    w->stdin_eof = 1;
    return 0;
  }
  for (u64 i = 0; i < len; i++) w->stdin_buf[i] = uart_getc();
  w->stdin_pos = 0;
  w->stdin_len = len;
  return len;
}

/* fd_read(fd, iovs, iovs_len, nread) */
static int fd_read(struct store *s, u64 v, u64 *slots) {
  (void)s;
  struct wasi *w = &wasi_state;
  u32 fd = (u32)ARG(0), n = (u32)ARG(2);
  if (fd > 2) return RET(wasifs_rw(v, slots, 0, 0));
  if (fd != 0) return RET(EBADF);
  u8 *iovs = mem(v, (u32)ARG(1), 8UL * n), *out = mem(v, (u32)ARG(3), 4);
  if (!iovs || !out) return RET(EFAULT);
  if (w->stdin_pos == w->stdin_len && !w->stdin_eof && w->stdin_open) stdin_fill();
  u64 total = 0;
  for (u32 i = 0; i < n && w->stdin_pos < w->stdin_len; i++) {
    u32 len = get32(iovs + 8 * i + 4);
    u8 *data = mem(v, get32(iovs + 8 * i), len);
    if (!data) return RET(EFAULT);
    u64 take = w->stdin_len - w->stdin_pos;
    if (take > len) take = len;
    memcpy(data, w->stdin_buf + w->stdin_pos, take);
    w->stdin_pos += take;
    total += take;
  }
  put32(out, (u32)total);
  return RET(ESUCCESS);
}

static int fd_close(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 ? ESUCCESS : wasifs_close((u32)ARG(0)));
}

/* stdio is a character device when the host's fd is a terminal, otherwise of unknown type,
 * as wasmtime reports it: libc's isatty() and buffering then behave the same on both. */
static u8 stdio_filetype(u64 fd) {
  return (wasi_state.tty_mask >> fd) & 1 ? FILETYPE_CHARACTER_DEVICE : FILETYPE_UNKNOWN;
}

/* fdstat { u8 filetype; u16 flags; u64 rights_base; u64 rights_inheriting } (24 bytes) */
static int fd_fdstat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *st = mem(v, (u32)ARG(1), 24);
  if (!st) return RET(EFAULT);
  if (ARG(0) > 2) return RET(wasifs_fdstat(st, (u32)ARG(0)));
  memset(st, 0, 24);
  st[0] = stdio_filetype(ARG(0));
  /* fd_read (bit 1) for stdin, fd_write (bit 6) for stdout/stderr, fd_fdstat_set_flags (3),
   * poll_fd_readwrite (27): like wasmtime's stdio, no seek/tell rights. */
  put64(st + 8, ARG(0) == 0 ? (1UL << 1 | 1UL << 3 | 1UL << 27) : (1UL << 6 | 1UL << 3 | 1UL << 27));
  return RET(ESUCCESS);
}

static int fd_seek(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ESPIPE : wasifs_seek(v, slots, 0));
}

static int fd_tell(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ESPIPE : wasifs_seek(v, slots, 1));
}

static int fd_pread(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ESPIPE : wasifs_rw(v, slots, 0, 1));
}

static int fd_pwrite(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ESPIPE : wasifs_rw(v, slots, 1, 1));
}

static int fd_prestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_prestat(v, slots, 0));
}

static int fd_prestat_dir_name(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_prestat(v, slots, 1));
}

static int fd_filestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  if (ARG(0) > 2) return RET(wasifs_fd_filestat(v, slots));
  u8 *st = mem(v, (u32)ARG(1), 64);
  if (!st) return RET(EFAULT);
  memset(st, 0, 64);
  st[16] = stdio_filetype(ARG(0));
  return RET(ESUCCESS);
}

static int fd_filestat_set_size(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 ? EINVAL : wasifs_set_size(slots));
}

static int fd_sync(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 ? EINVAL : wasifs_sync(slots));
}

static int fd_readdir(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ENOTDIR : wasifs_readdir(v, slots));
}

static int fd_renumber(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  if (ARG(0) <= 2 || ARG(1) <= 2) return RET(ENOTSUP);
  return RET(wasifs_renumber((u32)ARG(0), (u32)ARG(1)));
}

static int path_open(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_path_open(v, slots));
}

static int path_filestat_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_path_filestat(v, slots));
}

static int path_create_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_mkdir_unlink(v, slots, OP_MKDIR));
}

static int path_remove_directory(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_mkdir_unlink(v, slots, OP_RMDIR));
}

static int path_unlink_file(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_mkdir_unlink(v, slots, OP_UNLINK));
}

static int path_symlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_symlink(v, slots));
}

static int path_readlink(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_readlink(v, slots));
}

static int path_link(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_link(v, slots));
}

static int fd_filestat_set_times(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(ARG(0) <= 2 ? ENOTSUP : wasifs_set_times(v, slots, 0));
}

static int path_filestat_set_times(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_set_times(v, slots, 1));
}

static int fd_fdstat_set_flags(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 ? ESUCCESS : wasifs_set_flags((u32)ARG(0), (u16)ARG(1)));
}

/* poll_oneoff(in, out, nsubscriptions, nevents): fd subscriptions are always ready (stdio
 * and 9P files never block the program for long); otherwise wait for the earliest clock.
 * subscription (48 B): userdata@0 tag@8 {clock: id@16 timeout@24 precision@32 flags@40;
 * fd: fd@16}; event (32 B): userdata@0 error@8 type@10 nbytes@16 flags@24. */
static int poll_oneoff(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 n = (u32)ARG(2);
  u8 *in = mem(v, (u32)ARG(0), 48UL * n), *out = mem(v, (u32)ARG(1), 32UL * n);
  u8 *count = mem(v, (u32)ARG(3), 4);
  if (!in || !out || !count || n == 0) return RET(n == 0 ? EINVAL : EFAULT);
  u64 now = r_time() * 100, wake = ~0UL;
  int fds = 0;
  for (u32 i = 0; i < n; i++) {
    u8 *sub = in + 48 * i;
    if (sub[8] != 0) {
      fds = 1;
      continue;
    }
    u64 timeout;
    memcpy(&timeout, sub + 24, 8);
    u16 flags;
    memcpy(&flags, sub + 40, 2);
    u32 id = get32(sub + 16);
    u64 base = id == 0 ? realtime_ns() : now;
    u64 at = (flags & 1) ? now + (timeout > base ? timeout - base : 0) : now + timeout;
    if (at < wake) wake = at;
  }
  if (!fds && wake != ~0UL)
    while (r_time() * 100 < wake)
      ;
  now = r_time() * 100;
  u32 events = 0;
  for (u32 i = 0; i < n; i++) {
    u8 *sub = in + 48 * i, *ev = out + 32 * events;
    if (sub[8] == 0 && (fds || now < wake)) continue;
    memset(ev, 0, 32);
    memcpy(ev, sub, 8);
    ev[10] = sub[8];
    events++;
  }
  put32(count, events);
  return RET(ESUCCESS);
}

static int path_rename(struct store *s, u64 v, u64 *slots) {
  (void)s;
  return RET(wasifs_rename(v, slots));
}

/* Accepted and without effect (fd_advise, fd_fdstat_set_flags, fd_fdstat_set_rights). */
static int stdio_ok(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 || wasifs_fd((u32)ARG(0)) ? ESUCCESS : EBADF);
}

static int stdio_invalid(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ARG(0) <= 2 ? EINVAL : EBADF);
}

static int not_supported(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ENOTSUP);
}

/* clock_time_get(id, precision, time): 0 realtime, 1 monotonic, 2/3 cpu time (monotonic). */
static int clock_time_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *out = mem(v, (u32)ARG(2), 8);
  if (!out) return RET(EFAULT);
  u32 id = (u32)ARG(0);
  if (id > 3) return RET(EINVAL);
  put64(out, id == 0 ? realtime_ns() : r_time() * 100); /* time CSR: 10 MHz */
  return RET(ESUCCESS);
}

static int clock_res_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u8 *out = mem(v, (u32)ARG(1), 8);
  if (!out) return RET(EFAULT);
  if ((u32)ARG(0) > 3) return RET(EINVAL);
  put64(out, ARG(0) == 0 ? 1 : 100);
  return RET(ESUCCESS);
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
static int random_get(struct store *s, u64 v, u64 *slots) {
  (void)s;
  u32 len = (u32)ARG(1);
  u8 *buf = mem(v, (u32)ARG(0), len);
  if (!buf) return RET(EFAULT);
  struct wasi *w = &wasi_state;
  if (!w->rng_dev.base) {
    if (!w->rng[0]) w->rng[0] = r_time() | 1, w->rng[1] = 0x9E3779B97F4A7C15UL;
    for (u32 i = 0; i < len; i++) buf[i] = (u8)(next_random() >> 56);
    return RET(ESUCCESS);
  }
  for (u32 done = 0; done < len;) {
    u64 want = len - done > PGSIZE ? PGSIZE : len - done;
    u64 got = virtio_transfer(&w->rng_dev, NULL, 0, w->bounce, want);
    memcpy(buf + done, w->bounce, got);
    done += (u32)got;
  }
  return RET(ESUCCESS);
}

void wasi_init(void) {
  struct wasi *w = &wasi_state;
  w->bounce = kalloc();
  if (!w->bounce) panic("out of memory for WASI");
  virtio_find(&w->rng_dev, VIRTIO_ID_RNG);
  if (wasifs_init() < 0) panic("out of memory for WASI");
}

static int proc_exit(struct store *s, u64 v, u64 *slots) {
  (void)v;
  (void)s;
  wasi_state.exit_status = (int)(u32)ARG(0);
  return RUN_EXIT;
}

static int sched_yield(struct store *s, u64 v, u64 *slots) {
  (void)s, (void)v;
  return RET(ESUCCESS);
}

#define HOSTFN(module, name, sig, fn) {module, name, sig, fn},
const struct hostfn_entry wasi_fns[] = {
#include "wasi.def"
};
#undef HOSTFN
const u64 wasi_nfns = sizeof wasi_fns / sizeof wasi_fns[0];
