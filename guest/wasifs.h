/* wasifs.h: WASI's descriptor table (wasifs.c). Every descriptor is an entry of one kind:
 * stdio (fds 0-2, from the start), or a file or directory of a `--dir` preopen over 9P. The
 * fd_* calls find the entry and go to its kind's operations (struct fd_ops). */
#ifndef WASIFS_H
#define WASIFS_H
#include "p9.h"
#include "wasi.h"

#define MAX_FDS 320 /* a server's connections (netport.h's NET_CONNS) and its files */
#define MAX_MOUNTS 8
enum { FD_FREE, FD_STDIN, FD_STDOUT, FD_STDERR, FD_DIR, FD_FILE, FD_LISTEN, FD_SOCK, FD_PIPE_R,
       FD_PIPE_W, FD_KINDS };

struct wfd {
  u8 kind, mount;
  u8 readable, writable; /* files: the open mode (from the FD_READ/FD_WRITE rights) */
  u32 fid;      /* walked (directories) or opened (files) */
  u32 dir_open; /* directories: an opened fid for readdir, 0 until needed */
  char preopen[128]; /* the guest name of a preopened directory, "" otherwise */
  u64 offset;
  u16 fdflags;
  u64 rights_base, rights_inh; /* reported by fd_fdstat_get, as wasmtime reports them */
  u16 conn;              /* sockets: the connection's id (netport.c) */
  u8 shut_rd, shut_wr;   /* sock_shutdown was called for that direction */
  u8 pipe;               /* pipes: the pipe's number (proc.h) */
};

/* What a kind of descriptor does for each fd_* call: an operation gets the entry and the
 * call's argument slots and returns the WASI errno. fd_datasync uses sync. */
typedef int (*fd_op)(u64 vmctx, struct wfd *f, u64 *slots);
struct fd_ops {
  fd_op read, write, pread, pwrite, seek, tell, filestat, set_size, set_times, set_flags,
      set_rights, sync, readdir, allocate, advise;
  u8 (*filetype)(const struct wfd *f); /* fd_fdstat_get's filetype */
};

/* The machine's side: the 9P mounts of the --dir devices, shared by every process. */
struct wasifs {
  struct p9 mounts[MAX_MOUNTS];
  u32 nmounts;
  u8 *bounce;
};
/* A process's descriptor table (proc.h). */
struct fdtable {
  struct wfd fds[MAX_FDS];
  u64 freed[MAX_FDS / 64]; /* bit N: number N was closed or renumbered away (reused) */
};
extern struct wasifs wasifs;

int wasifs_init(void);
void fdtable_init(struct fdtable *t);
void fdtable_pipe(struct fdtable *t, u32 fd, int pipe); /* fd 0: reading end, 1: writing */
void fdtable_close_all(struct fdtable *t);
int wasifs_preopen(struct fdtable *t, const char *name, u64 len);
int wasifs_is_open(u32 fd); /* poll_oneoff: an fd subscription names an open descriptor */
struct wfd *wasifs_entry(u32 fd);              /* the open entry, or NULL */
struct wfd *wasifs_alloc(u8 kind, u32 *fd);    /* a new entry (wasmtime's numbering) */
void wasifs_free(struct wfd *f);

/* wasisock.c: the sockets of `--tcplisten` (the listener and its connections). */
extern const struct fd_ops listen_ops, sock_ops;
int wasisock_listen(void);
int wasisock_ready(const struct wfd *f, u8 type, u64 *nbytes);

/* wasi.c: the console behind stdio (stdin frames from the host, channels 1 and 2). */
int console_read(u64 vmctx, struct wfd *f, u64 *slots);
int console_write(u64 vmctx, struct wfd *f, u64 *slots);
u8 console_filetype(const struct wfd *f);
#endif
