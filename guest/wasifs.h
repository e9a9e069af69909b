/* wasifs.h: WASI's descriptor table for files and directories (wasifs.c). */
#ifndef WASIFS_H
#define WASIFS_H
#include "p9.h"

#define MAX_FDS 64
#define MAX_MOUNTS 8
enum { FD_STDIO = 1, FD_DIR, FD_FILE };
enum { OP_MKDIR, OP_RMDIR, OP_UNLINK };

struct wfd {
  u8 used, kind, mount;
  u32 fid;      /* walked (directories) or opened (files) */
  u32 dir_open; /* directories: an opened fid for readdir, 0 until needed */
  char path[512];    /* below the mount root, "" for the root */
  char preopen[128]; /* the guest name of a preopened directory, "" otherwise */
  u64 offset;
  u16 fdflags;
  u64 rights_base, rights_inh;
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
struct wfd *wasifs_fd(u32 fd);
int wasifs_path_open(u64 vmctx, u64 *args);
int wasifs_close(u32 fd);
int wasifs_rw(u64 vmctx, u64 *args, int write, int positioned);
int wasifs_seek(u64 vmctx, u64 *args, int tell);
int wasifs_fd_filestat(u64 vmctx, u64 *args);
int wasifs_path_filestat(u64 vmctx, u64 *args);
int wasifs_fdstat(u8 *st, u32 fd);
int wasifs_prestat(u64 vmctx, u64 *args, int name);
int wasifs_mkdir_unlink(u64 vmctx, u64 *args, int op);
int wasifs_rename(u64 vmctx, u64 *args);
int wasifs_set_size(u64 *args);
int wasifs_sync(u64 *args);
int wasifs_readdir(u64 vmctx, u64 *args);
int wasifs_renumber(u32 from, u32 to);
int wasifs_symlink(u64 vmctx, u64 *args);
int wasifs_readlink(u64 vmctx, u64 *args);
int wasifs_link(u64 vmctx, u64 *args);
int wasifs_set_times(u64 vmctx, u64 *args, int path);
int wasifs_set_flags(u32 fd, u16 flags);
#endif
