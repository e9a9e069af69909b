/* fsops: directory operations on a preopened directory DIR, printing what it sees (sorted),
 * including the errors WASI reports for a missing file and a path escaping the directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("opendir %s: %s\n", dir, strerror(errno));
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s:", dir);
  for (int i = 0; i < n; i++) printf(" %s", names[i]);
  printf("\n");
}

/* dir/name in one of two rotating buffers (rename needs two paths at once). */
static const char *at(const char *dir, const char *name) {
  static char paths[2][512];
  static int which;
  char *p = paths[which ^= 1];
  snprintf(p, sizeof paths[0], "%s/%s", dir, name);
  return p;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  mkdir(at(dir, "sub"), 0755);
  FILE *f = fopen(at(dir, "sub/a.txt"), "w");
  fputs("hello, 9p\n", f);
  fclose(f);
  rename(at(dir, "sub/a.txt"), at(dir, "sub/b.txt"));
  struct stat st;
  stat(at(dir, "sub/b.txt"), &st);
  printf("size %lld dir %d\n", (long long)st.st_size, S_ISDIR(st.st_mode));
  int fd = open(at(dir, "sub/b.txt"), O_RDWR);
  lseek(fd, 7, SEEK_SET);
  write(fd, "P", 1);
  printf("tell %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  ftruncate(fd, 8);
  close(fd);
  char buf[32] = {0};
  f = fopen(at(dir, "sub/b.txt"), "r");
  fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("content [%s]\n", buf);
  list(dir);
  list(at(dir, "sub"));
  printf("missing: %s\n", fopen(at(dir, "nope.txt"), "r") ? "opened" : strerror(errno));
  printf("escape: %s\n", fopen(at(dir, "../outside.txt"), "w") ? "opened" : strerror(errno));
  printf("rmdir non-empty: %s\n", rmdir(at(dir, "sub")) ? strerror(errno) : "removed");
  unlink(at(dir, "sub/b.txt"));
  printf("rmdir empty: %s\n", rmdir(at(dir, "sub")) ? strerror(errno) : "removed");
  list(dir);
  return 0;
}
