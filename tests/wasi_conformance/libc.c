/* libc: what the official suite's C programs do through wasi-libc, whose calls carry libc's
 * own choice of rights and flags: open/fopen with each access mode, fdopendir and readdir,
 * lseek, pread/pwrite (also with O_APPEND), stat's st_dev/st_ino, isatty, shutdown() on a
 * file and on a bad descriptor, and the errno strings libc turns the answers into. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, long rc) {
  printf("%s: %ld %s\n", what, rc, rc < 0 ? strerror(errno) : "ok");
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  const char *modes[] = {"r", "r+", "w", "a", "a+", "wx"};
  for (int i = 0; i < 6; i++) {
    errno = 0;
    FILE *f = fopen(i == 5 ? "a.txt" : "libc.txt", modes[i]);
    printf("fopen %s: %s\n", modes[i], f ? "ok" : strerror(errno));
    if (f) {
      printf("  fputs: %d\n", fputs("line\n", f) >= 0);
      rewind(f);
      char buf[32] = {0};
      printf("  fgets: %s", fgets(buf, sizeof buf, f) ? buf : "(none)\n");
      fclose(f);
    }
  }
  int fd = open("pwrite.txt", O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
  report("open append", fd);
  report("write", write(fd, "ab", 2));
  report("lseek set 0", lseek(fd, 0, SEEK_SET));
  report("write", write(fd, "cd", 2));
  report("lseek cur", lseek(fd, 0, SEEK_CUR));
  report("pwrite at 0", pwrite(fd, "xyz", 3, 0));
  report("lseek cur", lseek(fd, 0, SEEK_CUR));
  report("lseek end", lseek(fd, 0, SEEK_END));
  report("read write-only", read(fd, (char[4]){0}, 4));
  report("close", close(fd));
  fd = open("sub/b.txt", O_RDONLY);
  char buf[16] = {0};
  report("pread 4 at 2", pread(fd, buf, 4, 2));
  printf("  '%s'\n", buf);
  report("pwrite read-only", pwrite(fd, "x", 1, 0));
  report("lseek end -4", lseek(fd, -4, SEEK_END));
  report("lseek negative", lseek(fd, -1000, SEEK_SET));
  report("shutdown file", shutdown(fd, SHUT_RDWR));
  report("shutdown bad fd", shutdown(1234, SHUT_RDWR));
  struct stat a, b;
  report("fstat", fstat(fd, &a));
  report("stat a.txt", stat("a.txt", &b));
  printf("same dev %d different ino %d\n", a.st_dev == b.st_dev, a.st_ino != b.st_ino);
  report("lstat link_a", lstat("link_a", &b));
  printf("link is symlink %d\n", S_ISLNK(b.st_mode));
  report("stat link_a", stat("link_a", &b));
  printf("target is regular %d\n", S_ISREG(b.st_mode));
  report("stat link_up", stat("link_up", &b));
  report("stat link_self", stat("link_self", &b));
  report("open dir write", open("sub", O_WRONLY));
  report("open dir rdonly directory", fd = open("sub", O_RDONLY | O_DIRECTORY));
  DIR *d = fdopendir(fd);
  printf("fdopendir: %s\n", d ? "ok" : strerror(errno));
  char *names[32];
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d)) && n < 32;) names[n++] = strdup(e->d_name);
  qsort(names, (size_t)n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) printf("  %s\n", names[i]);
  if (d) closedir(d);
  printf("isatty 0 %d 1 %d 2 %d\n", isatty(0), isatty(1), isatty(2));
  report("access a.txt", access("a.txt", R_OK));
  report("mkdir x/y/..", mkdir("newdir", 0755));
  report("rename", rename("newdir", "sub/newdir"));
  report("rmdir", rmdir("sub/newdir"));
  report("unlink", unlink("libc.txt"));
  report("chdir-free relative ../", open("../a.txt", O_RDONLY));
  return 0;
}
