/* p9.h: a 9P2000.L client over virtio-9p: the live host directories of `osbuild run --dir`. */
#ifndef P9_H
#define P9_H
#include "virtio.h"

#define P9_NOFID 0xFFFFFFFFU
#define P9_QTDIR 0x80     /* qid types */
#define P9_QTSYMLINK 0x02

struct p9 {
  struct virtio_dev dev;
  u8 *tx, *rx;  /* one page each: msize is 4096 */
  u32 next_fid;
  int ok;
};

struct p9_qid { u8 type; u32 version; u64 path; };
struct p9_attr {
  struct p9_qid qid;
  u32 mode;
  u64 nlink, size, atime_ns, mtime_ns, ctime_ns;
};
struct p9_dirent { struct p9_qid qid; u64 offset; u8 type; char name[256]; };

#define P9_MSIZE 4096U
#define P9_IOUNIT (P9_MSIZE - 64)

/* Each returns 0 or a negative Linux errno. */
int p9_mount(struct p9 *p, struct virtio_dev dev, u32 *root);
/* Walk n names (at most 16) from fid to newfid; the last name's qid in *last (may be NULL).
 * A walk of 0 names clones fid. Symlinks are never followed by the server. */
int p9_walk(struct p9 *p, u32 fid, u32 newfid, const char *const *names, u32 n,
            struct p9_qid *last);
int p9_lopen(struct p9 *p, u32 fid, u32 flags);
int p9_lcreate(struct p9 *p, u32 dirfid, const char *name, u32 flags, u32 mode);
i64 p9_read(struct p9 *p, u32 fid, u64 offset, void *buf, u32 count);
i64 p9_write(struct p9 *p, u32 fid, u64 offset, const void *buf, u32 count);
int p9_clunk(struct p9 *p, u32 fid);
int p9_getattr(struct p9 *p, u32 fid, struct p9_attr *attr);
int p9_truncate(struct p9 *p, u32 fid, u64 size);
int p9_mkdir(struct p9 *p, u32 dirfid, const char *name);
int p9_unlinkat(struct p9 *p, u32 dirfid, const char *name, int dir);
int p9_renameat(struct p9 *p, u32 olddir, const char *oldname, u32 newdir, const char *newname);
int p9_fsync(struct p9 *p, u32 fid, int datasync);
int p9_symlink(struct p9 *p, u32 dirfid, const char *name, const char *target);
int p9_readlink(struct p9 *p, u32 fid, char *out, u32 cap, u32 *len);
int p9_link(struct p9 *p, u32 dirfid, u32 fid, const char *name);
/* Set times: for each of atime/mtime, mode 0 = keep, 1 = now, 2 = the given ns. */
int p9_settimes(struct p9 *p, u32 fid, int amode, u64 atime_ns, int mmode, u64 mtime_ns);
/* Up to `max` entries from `offset`; returns the count (0 at the end) or -errno. */
int p9_readdir(struct p9 *p, u32 fid, u64 offset, struct p9_dirent *out, int max);
u32 p9_fid(struct p9 *p);
#endif
