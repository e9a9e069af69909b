/* drain: reads its stdin to the end in 64 KiB reads and prints the bytes and the rate (MB/s
 * of the monotonic clock from the first byte to the end of file): a pipe's reading end. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  static char buf[65536];
  long long total = 0;
  double start = 0;
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    if (total == 0) start = now();
    total += n;
  }
  double secs = now() - start;
  printf("%lld bytes in %.3f s: %.1f MB/s\n", total, secs, total / secs / 1e6);
  return 0;
}
