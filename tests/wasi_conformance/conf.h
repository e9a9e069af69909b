/* conf.h: what every conformance program shares. The programs call WASI preview 1 directly
 * (wasi/api.h, and the raw imports below where a length must be given explicitly) and print
 * what they observe, one line per call: the errno's name, and the values that are the same
 * on every correct implementation (sizes, file types, relations between inode numbers), never
 * raw inode numbers or times. tests/test_wasi_conformance.py runs each program under
 * `osbuild run` and under wasmtime and compares the two outputs and directory trees. */
#ifndef CONF_H
#define CONF_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

typedef __wasi_errno_t err_t;
typedef __wasi_fd_t fd_t;

/* path_open with an explicit path length (so a path may contain a NUL). */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int32_t
raw_path_open(int32_t fd, int32_t dirflags, const char *path, int32_t len, int32_t oflags,
              int64_t base, int64_t inheriting, int32_t fdflags, int32_t *out);

static const char *const ERRNO_NAMES[] = {
  "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
  "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
  "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
  "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
  "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE",
  "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT",
  "NOSPC", "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
  "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT",
  "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV",
  "NOTCAPABLE",
};

static inline const char *ename(int e) {
  return e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof *ERRNO_NAMES) ? ERRNO_NAMES[e] : "?";
}

/* One observed call: "what: ERRNO". Returns the errno so a program can branch on it. */
static inline int show(const char *what, int e) {
  printf("%s: %s\n", what, ename(e));
  return e;
}

static inline const char *ftname(int t) {
  static const char *const names[] = {"unknown", "block", "char", "dir", "file", "dgram",
                                      "stream", "symlink"};
  return t >= 0 && t < 8 ? names[t] : "?";
}

/* The preopened directory named `name` (as the official suite's set-up finds "/"). */
static inline fd_t preopen(const char *name) {
  for (fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0) continue;
    char buf[256] = {0};
    if (st.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, st.u.dir.pr_name_len) != 0) continue;
    if (strcmp(buf, name) == 0) return fd;
  }
  printf("no preopen named %s\n", name);
  exit(2);
}

/* Open path below dir (the result on a line of its own); -1 when it fails. */
static inline int64_t open_at(const char *what, fd_t dir, __wasi_lookupflags_t follow,
                              const char *path, __wasi_oflags_t oflags, __wasi_rights_t base,
                              __wasi_rights_t inh, __wasi_fdflags_t fdflags) {
  fd_t fd;
  int e = __wasi_path_open(dir, follow, path, oflags, base, inh, fdflags, &fd);
  show(what, e);
  return e ? -1 : fd;
}

/* A file at path with the given content (created or truncated). */
static inline void make_file(fd_t dir, const char *path, const char *content) {
  fd_t fd;
  int e = __wasi_path_open(dir, 0, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                           __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  if (e) {
    printf("make_file %s: %s\n", path, ename(e));
    return;
  }
  __wasi_ciovec_t iov = {(const uint8_t *)content, strlen(content)};
  __wasi_size_t n;
  if (iov.buf_len) show("make_file write", __wasi_fd_write(fd, &iov, 1, &n));
  (void)__wasi_fd_close(fd);
}

/* The filetype at path (without following a final symlink), or the errno's name. */
static inline void show_type(const char *what, fd_t dir, __wasi_lookupflags_t follow,
                             const char *path) {
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(dir, follow, path, &st);
  if (e)
    printf("%s: %s\n", what, ename(e));
  else
    printf("%s: %s size %llu\n", what, ftname(st.filetype),
           st.filetype == __WASI_FILETYPE_DIRECTORY ? 0ULL : (unsigned long long)st.size);
}

/* A new directory below dir, opened with dir's own rights (as the official suite's set-up). */
static inline fd_t scratch(fd_t dir, const char *name) {
  show("scratch mkdir", __wasi_path_create_directory(dir, name));
  __wasi_fdstat_t st;
  show("scratch fdstat", __wasi_fd_fdstat_get(dir, &st));
  fd_t fd;
  int e = __wasi_path_open(dir, 0, name, __WASI_OFLAGS_DIRECTORY, st.fs_rights_base,
                           st.fs_rights_inheriting, 0, &fd);
  show("scratch open", e);
  if (e) exit(3);
  return fd;
}
#endif
