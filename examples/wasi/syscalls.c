/* syscalls: the less common WASI calls on a preopened directory DIR: symlinks, hard links,
 * timestamps, O_APPEND, O_EXCL, seeking past the end, and sleeping (poll_oneoff). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *at(const char *dir, const char *name) {
  static char paths[2][512];
  static int which;
  char *p = paths[which ^= 1];
  snprintf(p, sizeof paths[0], "%s/%s", dir, name);
  return p;
}

static void report(const char *what, int rc) {
  printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  int fd = open(at(dir, "log.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(fd, "one\n", 4);
  close(fd);
  fd = open(at(dir, "log.txt"), O_WRONLY | O_APPEND);
  write(fd, "two\n", 4);
  close(fd);
  report("create excl existing", open(at(dir, "log.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644));
  report("symlink", symlink("log.txt", at(dir, "link.txt")));
  char target[64] = {0};
  ssize_t n = readlink(at(dir, "link.txt"), target, sizeof target - 1);
  printf("readlink: %zd %s\n", n, n > 0 ? target : "");
  report("hard link", link(at(dir, "log.txt"), at(dir, "hard.txt")));
  struct stat st;
  stat(at(dir, "hard.txt"), &st);
  printf("hard size %lld nlink %llu\n", (long long)st.st_size, (unsigned long long)st.st_nlink);
  struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
  report("utimensat", utimensat(AT_FDCWD, at(dir, "log.txt"), times, 0));
  stat(at(dir, "log.txt"), &st);
  printf("mtime %lld\n", (long long)st.st_mtim.tv_sec);
  fd = open(at(dir, "log.txt"), O_RDONLY);
  printf("seek past end: %lld\n", (long long)lseek(fd, 100, SEEK_END));
  char buf[8];
  printf("read at eof: %zd\n", read(fd, buf, sizeof buf));
  close(fd);
  struct timespec t0, t1, nap = {0, 20000000};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long slept = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  printf("slept at least 20 ms: %s\n", slept >= 20000000 ? "yes" : "no");
  report("read a directory as a file", (int)read(open(dir, O_RDONLY), buf, 1));
  report("unlink directory", unlink(dir));
  return 0;
}
