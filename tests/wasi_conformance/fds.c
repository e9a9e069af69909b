/* fds: the descriptor table. fd_renumber between files, onto and from a preopen, onto
 * itself, to and from closed descriptors and stdio; closing a preopen (the others stay
 * open and usable); a closed descriptor answers EBADF everywhere; which numbers new
 * descriptors get. */
#include "conf.h"

static void fdstat(const char *what, fd_t fd) {
  __wasi_fdstat_t st;
  int e = __wasi_fd_fdstat_get(fd, &st);
  if (e)
    printf("%s: %s\n", what, ename(e));
  else
    printf("%s: %s flags %x base %llx\n", what, ftname(st.fs_filetype), st.fs_flags,
           (unsigned long long)st.fs_rights_base);
}

static fd_t create(fd_t dir, const char *name) {
  fd_t fd = 0;
  int e = __wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT,
                           __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  printf("create %s: %s fd-3=%u\n", name, ename(e), fd - 3);
  return fd;
}

int main(void) {
  fd_t root = preopen("/");
  printf("preopen is fd %u\n", root);
  fd_t dir = scratch(root, "fds");
  printf("scratch is fd %u\n", dir);
  fd_t a = create(dir, "a"), b = create(dir, "b");
  __wasi_filestat_t sa, sb, s;
  show("stat a", __wasi_fd_filestat_get(a, &sa));
  show("stat b", __wasi_fd_filestat_get(b, &sb));
  show("renumber a b", __wasi_fd_renumber(a, b));
  show("close a", __wasi_fd_close(a));
  show("stat b", __wasi_fd_filestat_get(b, &s));
  printf("b is now a: %d\n", s.ino == sa.ino && s.dev == sa.dev);
  show("renumber b a (closed)", __wasi_fd_renumber(b, a));
  show("renumber a (closed) b", __wasi_fd_renumber(a, b));
  show("renumber b b", __wasi_fd_renumber(b, b));
  fdstat("b after self", b);
  show("renumber 99 b", __wasi_fd_renumber(99, b));
  fd_t c = create(dir, "c");
  printf("c reuses a's number: %d\n", c == a);
  show("renumber b 40", __wasi_fd_renumber(b, 40));

  /* A file renumbered onto the preopen: the preopen's number now names the file. */
  fd_t d = create(dir, "d");
  show("stat d", __wasi_fd_filestat_get(d, &sb));
  show("renumber d preopen", __wasi_fd_renumber(d, root));
  show("stat preopen", __wasi_fd_filestat_get(root, &s));
  printf("preopen number is d: %d\n", s.ino == sb.ino);
  __wasi_prestat_t pre;
  show("prestat after", __wasi_fd_prestat_get(root, &pre));
  fdstat("fdstat d", d);
  show("close preopen number", __wasi_fd_close(root));
  show("close preopen number again", __wasi_fd_close(root));
  fdstat("scratch still open", dir);
  show("mkdir via scratch", __wasi_path_create_directory(dir, "after"));

  /* stdio renumbered: stderr onto a file, then a file onto stderr. */
  fd_t e = create(dir, "e");
  show("renumber e 2", __wasi_fd_renumber(e, 2));
  __wasi_ciovec_t iov = {(const uint8_t *)"to e\n", 5};
  __wasi_size_t n;
  show("write 2", __wasi_fd_write(2, &iov, 1, &n));
  fdstat("fdstat 2", 2);
  show("close 2", __wasi_fd_close(2));
  fdstat("fdstat 2 closed", 2);
  show("write closed 2", __wasi_fd_write(2, &iov, 1, &n));
  show("renumber 1 to closed 2", __wasi_fd_renumber(1, 2));
  show("close 0", __wasi_fd_close(0));
  fdstat("fdstat 0 closed", 0);
  fd_t f = create(dir, "f");
  printf("f takes fd 0: %d\n", f == 0);
  show("close f", __wasi_fd_close(f));

  /* Everything on a closed descriptor answers EBADF. */
  fd_t g = create(dir, "g");
  show("close g", __wasi_fd_close(g));
  uint8_t buf[8];
  __wasi_iovec_t io = {buf, sizeof buf};
  __wasi_filesize_t pos;
  show("closed read", __wasi_fd_read(g, &io, 1, &n));
  show("closed seek", __wasi_fd_seek(g, 0, 0, &pos));
  show("closed filestat", __wasi_fd_filestat_get(g, &s));
  show("closed fdstat", __wasi_fd_fdstat_get(g, (__wasi_fdstat_t *)buf));
  show("closed allocate", __wasi_fd_allocate(g, 0, 1));
  show("closed advise", __wasi_fd_advise(g, 0, 1, 0));
  show("closed set rights", __wasi_fd_fdstat_set_rights(g, 0, 0));
  show("closed readdir", __wasi_fd_readdir(g, buf, sizeof buf, 0, &n));
  show("closed close", __wasi_fd_close(g));
  show("huge fd close", __wasi_fd_close(0x7fffffff));
  return 0;
}
