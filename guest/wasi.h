/* wasi.h: WASI preview 1 (wasi_snapshot_preview1) in the guest, shared by wasi.c (args,
 * environ, clocks, random, poll, exit, the console side of stdio) and wasifs.c (the
 * descriptor table: stdio, files and directories). The numbers are WASI's ABI. */
#ifndef WASI_H
#define WASI_H
#include "store.h"
#include "virtio.h"

/* errno */
enum {
  E_SUCCESS = 0, E_ACCES = 2, E_BADF = 8, E_BUSY = 10, E_EXIST = 20, E_FAULT = 21, E_INVAL = 28, E_IO = 29,
  E_ISDIR = 31, E_LOOP = 32, E_MFILE = 33, E_NAMETOOLONG = 37, E_NOENT = 44, E_NOSPC = 51,
  E_NOTDIR = 54, E_NOTEMPTY = 55, E_NOTSOCK = 57, E_NOTSUP = 58, E_PERM = 63, E_PIPE = 64, E_SPIPE = 70,
  E_XDEV = 75,
};

/* filetype */
enum { FT_UNKNOWN, FT_BLOCK, FT_CHAR, FT_DIR, FT_FILE, FT_DGRAM, FT_STREAM, FT_SYMLINK };

/* rights (bits of rights_base / rights_inheriting). They are reported as wasmtime reports
 * them and limit nothing by themselves: FD_READ/FD_WRITE asked of path_open choose the open
 * mode, and fd_fdstat_set_rights answers ENOTSUP, as in wasmtime. */
#define RIGHT_FD_READ (1UL << 1)
#define RIGHT_FD_WRITE (1UL << 6)
#define RIGHT_FD_READDIR (1UL << 14)
#define RIGHTS_STDIN RIGHT_FD_READ
#define RIGHTS_STDOUT RIGHT_FD_WRITE
#define RIGHTS_PREOPEN_BASE 0x7b7fe00UL
#define RIGHTS_PREOPEN_INHERITING 0xff7ffffUL
#define RIGHTS_DIR 0x3fb7ffbbUL  /* base and inheriting of a directory path_open opened */
#define RIGHTS_FILE 0x3fffffffUL /* a file's, less FD_WRITE (read-only) or FD_READ|FD_READDIR */

/* fdflags, oflags (path_open), lookupflags, fstflags (*_filestat_set_times) */
#define FDFLAG_APPEND 1
#define FDFLAG_DSYNC 2
#define FDFLAG_NONBLOCK 4
#define FDFLAG_RSYNC 8
#define FDFLAG_SYNC 16
#define OFLAG_CREAT 1
#define OFLAG_DIRECTORY 2
#define OFLAG_EXCL 4
#define OFLAG_TRUNC 8
#define LOOKUP_SYMLINK_FOLLOW 1
#define FSTFLAG_ATIM 1
#define FSTFLAG_ATIM_NOW 2
#define FSTFLAG_MTIM 4
#define FSTFLAG_MTIM_NOW 8

/* A process's WASI state (proc.h), set by the host's script (main.c), read by the program. */
struct strings { u32 count; u64 bytes; char data[16384]; }; /* NUL-separated */
struct wasi_proc {
  struct strings args, env;
  int stdin_open;    /* the host sends stdin (vconsole.c); otherwise fd 0 is at end of file */
  unsigned tty_mask; /* bit N: host fd N is a terminal (stdio filetype) */
  int exit_status;   /* proc_exit's argument */
};

/* The machine's side of WASI, shared by every process. */
struct wasi {
  u64 rng[4];
  struct virtio_dev rng_dev; /* entropy from the host (absent: a clock-seeded generator) */
  u8 *bounce;                /* a page for device transfers */
};
extern struct wasi wasi_state;
void wasi_init(void);

/* Every function named in wasi.def has the host function shape: its arguments in the slots,
 * its answer (the WASI errno) written to slots[0] by RET. Declared here from the table, so
 * that the table and the implementations in wasi.c and wasifs.c cannot disagree. */
#define HOSTFN(module, name, sig, fn) int fn(struct store *s, u64 vmctx, u64 *slots);
#include "wasi.def"
#undef HOSTFN
int sched_yield_proc(struct store *s, u64 vmctx, u64 *slots);
#define ARG(i) (slots[i])
#define RET(v) (slots[0] = (u64)(v), RUN_OK)

/* The one way WASI reaches guest memory: a kernel pointer to [ptr, ptr+len) of the caller's
 * linear memory, or NULL when any of it lies outside (the call then answers E_FAULT). */
static inline u8 *user_mem(u64 vmctx, u64 ptr, u64 len) {
  struct memory *m = vmctx_memory(vmctx);
  if (!m || (u32)ptr != ptr || ptr + len > m->pages * WASM_PAGE) return NULL;
  return (u8 *)(m->base + ptr);
}

/* WASI's structs are little-endian and unaligned in guest memory. */
static inline void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static inline void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }
static inline u32 get32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }
#endif
