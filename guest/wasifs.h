/* wasifs.h: WASI's descriptor table (wasifs.c). Every descriptor is an entry of one kind:
 * stdio (fds 0-2, from the start), or a file or directory of a `--dir` preopen over 9P. The
 * fd_* calls find the entry and go to its kind's operations (struct fd_ops). */
#ifndef WASIFS_H
#define WASIFS_H
#include "p9.h"
#include "wasi.h"

#define MAX_FDS 64
#define MAX_MOUNTS 8
enum { FD_FREE, FD_STDIN, FD_STDOUT, FD_STDERR, FD_DIR, FD_FILE, FD_KINDS };

struct wfd {
  u8 kind, mount;
  u32 fid;      /* walked (directories) or opened (files) */
  u32 dir_open; /* directories: an opened fid for readdir, 0 until needed */
  char path[512];    /* below the mount root, "" for the root */
  char preopen[128]; /* the guest name of a preopened directory, "" otherwise */
  u64 offset;
  u16 fdflags;
  u64 rights_base, rights_inh;
};

/* What a kind of descriptor does for each fd_* call: an operation gets the entry and the
 * call's argument slots and returns the WASI errno. */
typedef int (*fd_op)(u64 vmctx, struct wfd *f, u64 *slots);
struct fd_ops {
  fd_op read, write, pread, pwrite, seek, tell, close, filestat, set_size, set_times,
      set_flags, sync, readdir, allocate;
  u8 (*filetype)(const struct wfd *f); /* fd_fdstat_get's filetype */
  int fixed;                           /* stdio: fd_renumber answers E_NOTSUP */
};

struct wasifs {
  struct p9 mounts[MAX_MOUNTS];
  u32 roots[MAX_MOUNTS];
  u32 nmounts;
  struct wfd fds[MAX_FDS];
  u8 *bounce;
};
extern struct wasifs wasifs;

int wasifs_init(void);
int wasifs_preopen(const char *name, u64 len);

/* wasi.c: the console behind stdio (stdin frames from the host, channels 1 and 2). */
int console_read(u64 vmctx, struct wfd *f, u64 *slots);
int console_write(u64 vmctx, struct wfd *f, u64 *slots);
u8 console_filetype(const struct wfd *f);
#endif
