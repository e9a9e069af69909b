/* wasifs.h: WASI's descriptor table (wasifs.c). Every descriptor is an entry of one kind:
 * stdio (fds 0-2, from the start), or a file or directory of a `--dir` preopen over 9P. The
 * fd_* calls find the entry and go to its kind's operations (struct fd_ops). */
#ifndef WASIFS_H
#define WASIFS_H
#include "p9.h"
#include "wasi.h"

#define MAX_FDS 64 /* wasifs.freed is a 64-bit mask */
#define MAX_MOUNTS 8
enum { FD_FREE, FD_STDIN, FD_STDOUT, FD_STDERR, FD_DIR, FD_FILE, FD_KINDS };

struct wfd {
  u8 kind, mount;
  u8 readable, writable; /* files: the open mode (from the FD_READ/FD_WRITE rights) */
  u32 fid;      /* walked (directories) or opened (files) */
  u32 dir_open; /* directories: an opened fid for readdir, 0 until needed */
  char preopen[128]; /* the guest name of a preopened directory, "" otherwise */
  u64 offset;
  u16 fdflags;
  u64 rights_base, rights_inh; /* reported by fd_fdstat_get, as wasmtime reports them */
};

/* What a kind of descriptor does for each fd_* call: an operation gets the entry and the
 * call's argument slots and returns the WASI errno. fd_datasync uses sync. */
typedef int (*fd_op)(u64 vmctx, struct wfd *f, u64 *slots);
struct fd_ops {
  fd_op read, write, pread, pwrite, seek, tell, filestat, set_size, set_times, set_flags,
      set_rights, sync, readdir, allocate, advise;
  u8 (*filetype)(const struct wfd *f); /* fd_fdstat_get's filetype */
};

struct wasifs {
  struct p9 mounts[MAX_MOUNTS];
  u32 nmounts;
  struct wfd fds[MAX_FDS];
  u64 freed; /* bit N: number N was closed or renumbered away (alloc_fd reuses it) */
  u8 *bounce;
};
extern struct wasifs wasifs;

int wasifs_init(void);
int wasifs_preopen(const char *name, u64 len);
int wasifs_is_open(u32 fd); /* poll_oneoff: an fd subscription names an open descriptor */

/* wasi.c: the console behind stdio (stdin frames from the host, channels 1 and 2). */
int console_read(u64 vmctx, struct wfd *f, u64 *slots);
int console_write(u64 vmctx, struct wfd *f, u64 *slots);
u8 console_filetype(const struct wfd *f);
#endif
