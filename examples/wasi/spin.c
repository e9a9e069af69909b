/* spin: a CPU-bound program for the scheduler's fairness test. It spins until the next whole
 * 100 ms of the monotonic clock (the guest's time CSR, shared by all programs) plus 200 ms,
 * then counts rounds of work for MS milliseconds (default 600) and prints the count: programs
 * started together count over the same window of time, so the counts compare their shares of
 * the CPU. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  long long ms = argc > 1 ? atoll(argv[1]) : 600;
  long long start = (now_ms() / 100 + 3) * 100, end = start + ms;
  while (now_ms() < start) {
  }
  volatile unsigned x = 1;
  long long rounds = 0;
  while (now_ms() < end) {
    for (int i = 0; i < 1000; i++) x = x * 1103515245u + 12345u;
    rounds++;
  }
  printf("%lld\n", rounds);
  return 0;
}
