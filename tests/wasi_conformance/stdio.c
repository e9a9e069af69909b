/* stdio: every fd_* call on fds 0, 1 and 2 (results go to stdout only after each call, so the
 * calls themselves see the streams untouched), isatty's view of them, sockets calls on
 * non-sockets, and poll_oneoff on stdio, a file and a bad descriptor. */
#include "conf.h"

static void fd_calls(fd_t fd) {
  uint8_t buf[16];
  __wasi_iovec_t iov = {buf, 0};
  __wasi_ciovec_t ciov = {buf, 0};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  __wasi_fdstat_t st;
  __wasi_filestat_t fst;
  __wasi_prestat_t pre;
  int r[32], k = 0;
  r[k++] = __wasi_fd_fdstat_get(fd, &st);
  r[k++] = __wasi_fd_pread(fd, &iov, 1, 0, &n);
  r[k++] = __wasi_fd_pwrite(fd, &ciov, 1, 0, &n);
  r[k++] = fd == 0 ? __wasi_fd_write(fd, &ciov, 1, &n) : __wasi_fd_read(fd, &iov, 1, &n);
  r[k++] = __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos);
  r[k++] = __wasi_fd_tell(fd, &pos);
  r[k++] = __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL);
  r[k++] = __wasi_fd_allocate(fd, 0, 1);
  r[k++] = __wasi_fd_filestat_set_size(fd, 0);
  r[k++] = __wasi_fd_filestat_set_times(fd, 0, 0, 0);
  r[k++] = __wasi_fd_sync(fd);
  r[k++] = __wasi_fd_datasync(fd);
  r[k++] = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n);
  r[k++] = __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, st.fs_rights_inheriting);
  r[k++] = __wasi_fd_fdstat_set_flags(fd, 0);
  r[k++] = __wasi_fd_filestat_get(fd, &fst);
  r[k++] = __wasi_fd_prestat_get(fd, &pre);
  r[k++] = __wasi_fd_prestat_dir_name(fd, buf, sizeof buf);
  r[k++] = __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR);
  static const char *const names[] = {
    "fdstat", "pread", "pwrite", "wrong direction", "seek", "tell", "advise", "allocate",
    "set size", "set times", "sync", "datasync", "readdir", "set rights", "set flags",
    "filestat", "prestat", "prestat name", "shutdown"};
  for (int i = 0; i < k; i++) printf("fd %u %s: %s\n", fd, names[i], ename(r[i]));
  printf("fd %u type %s flags %x base %llx inheriting %llx filestat type %s size %llu\n", fd,
         ftname(st.fs_filetype), st.fs_flags, (unsigned long long)st.fs_rights_base,
         (unsigned long long)st.fs_rights_inheriting, ftname(fst.filetype),
         (unsigned long long)fst.size);
}

static void poll_fd(const char *what, fd_t fd, uint8_t type) {
  __wasi_subscription_t sub[2] = {0};
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  sub[0].userdata = 7;
  sub[0].u.tag = type;
  sub[0].u.u.fd_read.file_descriptor = fd;
  sub[1].userdata = 8;
  sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[1].u.u.clock.timeout = 1000000000ULL;
  int e = __wasi_poll_oneoff(sub, ev, 2, &n);
  printf("poll %s: %s events %lu", what, ename(e), (unsigned long)n);
  for (__wasi_size_t i = 0; i < n; i++)
    printf(" [userdata %llu error %s type %d]", (unsigned long long)ev[i].userdata,
           ename(ev[i].error), ev[i].type);
  printf("\n");
}

int main(void) {
  fd_calls(0);
  fd_calls(1);
  fd_calls(2);
  fd_t root = preopen("/");
  fd_t file;
  show("open", __wasi_path_open(root, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &file));
  poll_fd("stdin read", 0, __WASI_EVENTTYPE_FD_READ);
  poll_fd("stdout write", 1, __WASI_EVENTTYPE_FD_WRITE);
  poll_fd("file read", file, __WASI_EVENTTYPE_FD_READ);
  poll_fd("file write", file, __WASI_EVENTTYPE_FD_WRITE);
  poll_fd("bad fd", 77, __WASI_EVENTTYPE_FD_READ);
  __wasi_size_t n;
  __wasi_roflags_t ro;
  __wasi_iovec_t iov = {(uint8_t *)&n, 0};
  __wasi_ciovec_t ciov = {(uint8_t *)&n, 0};
  show("recv on file", __wasi_sock_recv(file, &iov, 1, 0, &n, &ro));
  show("send on file", __wasi_sock_send(file, &ciov, 1, 0, &n));
  fd_t got;
  show("accept on file", __wasi_sock_accept(file, 0, &got));
  show("recv on bad fd", __wasi_sock_recv(77, &iov, 1, 0, &n, &ro));
  show("accept on bad fd", __wasi_sock_accept(77, 0, &got));
  show("shutdown file", __wasi_sock_shutdown(file, __WASI_SDFLAGS_WR));
  show("shutdown bad", __wasi_sock_shutdown(77, __WASI_SDFLAGS_WR));
  show("sched_yield", __wasi_sched_yield());
  return 0;
}
