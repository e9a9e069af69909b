/* files: data through file descriptors. fd_allocate, fd_advise, pread/pwrite (and that they
 * leave the offset alone, also with O_APPEND), seek/tell (negative, past the end, bad
 * whence), truncation through set_size and O_TRUNC, append mode set and cleared with
 * fd_fdstat_set_flags, fdflags path_open accepts, set_times flag validation, filestat
 * relations (dev, ino, nlink, size), and unbuffered writes seen by a second descriptor. */
#include "conf.h"

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)

static uint64_t size_of(fd_t fd) {
  __wasi_filestat_t st;
  return __wasi_fd_filestat_get(fd, &st) ? ~0ULL : st.size;
}

static uint64_t offset(fd_t fd) {
  __wasi_filesize_t pos;
  return __wasi_fd_tell(fd, &pos) ? ~0ULL : pos;
}

static void put(const char *what, fd_t fd, const char *s, int64_t at) {
  __wasi_ciovec_t iov[2] = {{(const uint8_t *)s, strlen(s)}, {(const uint8_t *)"!", 1}};
  __wasi_size_t n = 0;
  int e = at < 0 ? __wasi_fd_write(fd, iov, 2, &n) : __wasi_fd_pwrite(fd, iov, 2, (uint64_t)at,
                                                                      &n);
  printf("%s: %s n %lu size %llu offset %llu\n", what, ename(e), (unsigned long)n,
         (unsigned long long)size_of(fd), (unsigned long long)offset(fd));
}

static void get(const char *what, fd_t fd, size_t len, int64_t at) {
  char a[8] = {0}, b[64] = {0};
  __wasi_iovec_t iov[3] = {{(uint8_t *)a, 3}, {(uint8_t *)b, 0}, {(uint8_t *)b, len}};
  __wasi_size_t n = 0;
  int e = at < 0 ? __wasi_fd_read(fd, iov, 3, &n) : __wasi_fd_pread(fd, iov, 3, (uint64_t)at,
                                                                    &n);
  printf("%s: %s n %lu '%s' '%s' offset %llu\n", what, ename(e), (unsigned long)n, a, b,
         (unsigned long long)offset(fd));
}

static void seek(const char *what, fd_t fd, int64_t off, int whence) {
  __wasi_filesize_t pos = 12345;
  int e = __wasi_fd_seek(fd, off, (__wasi_whence_t)whence, &pos);
  printf("%s: %s pos %llu\n", what, ename(e), (unsigned long long)pos);
}

int main(void) {
  fd_t root = preopen("/");
  fd_t dir = scratch(root, "f");
  int64_t f = open_at("create", dir, 0, "file", __WASI_OFLAGS_CREAT, RW, 0, 0);
  if (f < 0) return 1;
  fd_t fd = (fd_t)f;
  printf("size %llu\n", (unsigned long long)size_of(fd));
  show("allocate 0 100", __wasi_fd_allocate(fd, 0, 100));
  printf("size %llu\n", (unsigned long long)size_of(fd));
  show("advise normal", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_NORMAL));
  show("advise sequential", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL));
  show("advise random", __wasi_fd_advise(fd, 10, 0, __WASI_ADVICE_RANDOM));
  show("advise willneed", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_WILLNEED));
  show("advise dontneed", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_DONTNEED));
  show("advise noreuse", __wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_NOREUSE));

  put("write", fd, "hello", -1);
  put("pwrite at 2", fd, "XY", 2);
  put("pwrite past end", fd, "end", 20);
  get("pread at 0", fd, 10, 0);
  get("pread past end", fd, 10, 100);
  seek("seek set 0", fd, 0, __WASI_WHENCE_SET);
  get("read", fd, 4, -1);
  seek("seek cur -2", fd, -2, __WASI_WHENCE_CUR);
  seek("seek cur -100", fd, -100, __WASI_WHENCE_CUR);
  seek("seek end 0", fd, 0, __WASI_WHENCE_END);
  seek("seek end 10", fd, 10, __WASI_WHENCE_END);
  seek("seek set -1", fd, -1, __WASI_WHENCE_SET);
  put("write past end", fd, "z", -1);
  show("set size 5", __wasi_fd_filestat_set_size(fd, 5));
  printf("size %llu offset %llu\n", (unsigned long long)size_of(fd),
         (unsigned long long)offset(fd));
  seek("seek set 0", fd, 0, __WASI_WHENCE_SET);
  get("read after truncate", fd, 10, -1);
  show("set size 0", __wasi_fd_filestat_set_size(fd, 0));

  /* append mode: writes go to the end, pwrite leaves the offset where it was */
  show("set append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
  put("append write", fd, "ab", -1);
  seek("seek set 0", fd, 0, __WASI_WHENCE_SET);
  put("append write after seek", fd, "cd", -1);
  put("append pwrite at 0", fd, "P", 0);
  show("clear append", __wasi_fd_fdstat_set_flags(fd, 0));
  seek("seek set 0", fd, 0, __WASI_WHENCE_SET);
  put("write at 0", fd, "W", -1);
  show("set flags dsync", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_DSYNC));
  show("set flags sync", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
  show("set flags rsync", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_RSYNC));
  show("set flags nonblock", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
  __wasi_fdstat_t fst;
  show("fdstat", __wasi_fd_fdstat_get(fd, &fst));
  printf("flags %x\n", fst.fs_flags);
  show("sync", __wasi_fd_sync(fd));
  show("datasync", __wasi_fd_datasync(fd));

  /* a second descriptor sees unbuffered writes at once */
  int64_t g = open_at("open again", dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, 0);
  if (g >= 0) {
    get("read other", (fd_t)g, 20, -1);
    put("write more", fd, "more", -1);
    get("read other more", (fd_t)g, 20, -1);
    put("write to read-only", (fd_t)g, "x", -1);
    put("pwrite to read-only", (fd_t)g, "x", 0);
    __wasi_filestat_t a, b;
    show("stat a", __wasi_fd_filestat_get(fd, &a));
    show("stat b", __wasi_fd_filestat_get((fd_t)g, &b));
    printf("same dev %d same ino %d nlink %llu type %s\n", a.dev == b.dev, a.ino == b.ino,
           (unsigned long long)a.nlink, ftname(a.filetype));
    show("close other", __wasi_fd_close((fd_t)g));
  }
  __wasi_filestat_t a, b;
  show("stat file", __wasi_path_filestat_get(dir, 0, "file", &a));
  show("stat root a", __wasi_path_filestat_get(root, 0, "a.txt", &b));
  printf("same dev %d different ino %d\n", a.dev == b.dev, a.ino != b.ino);

  /* fdflags at open */
  int flags[] = {__WASI_FDFLAGS_APPEND, __WASI_FDFLAGS_DSYNC, __WASI_FDFLAGS_NONBLOCK,
                 __WASI_FDFLAGS_RSYNC, __WASI_FDFLAGS_SYNC};
  for (int i = 0; i < 5; i++) {
    char what[32];
    snprintf(what, sizeof what, "open fdflags %x", flags[i]);
    int64_t h = open_at(what, dir, 0, "file", 0, RW, 0, (__wasi_fdflags_t)flags[i]);
    if (h >= 0) {
      show("fdstat", __wasi_fd_fdstat_get((fd_t)h, &fst));
      printf("flags %x\n", fst.fs_flags);
      (void)__wasi_fd_close((fd_t)h);
    }
  }
  int64_t t = open_at("open truncating", dir, 0, "file", __WASI_OFLAGS_TRUNC, RW, 0, 0);
  if (t >= 0) {
    printf("size %llu\n", (unsigned long long)size_of((fd_t)t));
    (void)__wasi_fd_close((fd_t)t);
  }
  t = open_at("open read-only truncating", dir, 0, "file", __WASI_OFLAGS_TRUNC,
              __WASI_RIGHTS_FD_READ, 0, 0);
  if (t >= 0) (void)__wasi_fd_close((fd_t)t);

  /* times */
  show("times both mtim", __wasi_fd_filestat_set_times(fd, 0, 5, __WASI_FSTFLAGS_MTIM |
                                                                 __WASI_FSTFLAGS_MTIM_NOW));
  show("times both atim", __wasi_fd_filestat_set_times(fd, 5, 0, __WASI_FSTFLAGS_ATIM |
                                                                 __WASI_FSTFLAGS_ATIM_NOW));
  show("times set", __wasi_fd_filestat_set_times(fd, 3000000000ULL, 4000000000ULL,
                                                 __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  show("stat", __wasi_fd_filestat_get(fd, &a));
  printf("atim ok %d mtim ok %d\n", a.atim == 3000000000ULL, a.mtim == 4000000000ULL);
  show("times now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  show("stat", __wasi_fd_filestat_get(fd, &b));
  printf("mtim moved %d atim kept %d\n", b.mtim > a.mtim, b.atim == a.atim);
  show("path times both", __wasi_path_filestat_set_times(dir, 0, "file", 0, 0,
                                                         __WASI_FSTFLAGS_ATIM |
                                                         __WASI_FSTFLAGS_ATIM_NOW));
  show("path times missing", __wasi_path_filestat_set_times(dir, 0, "nothing", 0, 0, 0));
  show("close", __wasi_fd_close(fd));
  show("allocate closed", __wasi_fd_allocate(fd, 0, 1));
  return 0;
}
