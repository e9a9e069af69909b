/* streams: stdout and stderr written in a known order, then an ending chosen by argv[1]:
 *   interleave N   N numbered lines, alternately to stdout and stderr (unbuffered writes)
 *   write N        N bytes to stdout
 *   exit N         N bytes to stdout, then proc_exit(7) with nothing flushed by libc
 *   trap N         N bytes to stdout, then a trap (unreachable)
 *   eof            reads stdin to its end, twice, and reports both byte counts
 * The stdio tests (tests/test_stdio.py) compare each with wasmtime; bench/stdio_throughput.py
 * times `write` and `eof`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) _Exit(1);
    s += w, n -= (size_t)w;
  }
}

/* n bytes to stdout in 64 KiB writes of one block of letters (made once: the cost is the
 * writes, not the making). */
static void fill(long n) {
  static char block[65536];
  for (size_t j = 0; j < sizeof block; j++) block[j] = (char)('a' + j % 26);
  for (long i = 0; i < n;) {
    size_t k = n - i > (long)sizeof block ? sizeof block : (size_t)(n - i);
    put(1, block, k);
    i += (long)k;
  }
}

static long drain(void) {
  static char buf[8192];
  long total = 0;
  for (ssize_t n; (n = read(0, buf, sizeof buf)) > 0;) total += n;
  return total;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  long n = argc > 2 ? atol(argv[2]) : 0;
  char line[64];
  if (strcmp(mode, "interleave") == 0) {
    for (long i = 0; i < n; i++) {
      int len = snprintf(line, sizeof line, "line %ld to %s\n", i, i % 2 ? "stderr" : "stdout");
      put(i % 2 ? 2 : 1, line, (size_t)len);
    }
    return 0;
  }
  if (strcmp(mode, "write") == 0) {
    fill(n);
    return 0;
  }
  if (strcmp(mode, "exit") == 0) {
    fill(n);
    _Exit(7);
  }
  if (strcmp(mode, "trap") == 0) {
    fill(n);
    __builtin_trap();
  }
  if (strcmp(mode, "eof") == 0) {
    long first = drain(), second = drain();
    int len = snprintf(line, sizeof line, "%ld then %ld\n", first, second);
    put(1, line, (size_t)len);
    return 0;
  }
  static const char usage[] = "usage: streams interleave|write|exit|trap N | streams eof\n";
  put(2, usage, sizeof usage - 1);
  return 2;
}
