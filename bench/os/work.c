/* work: a fixed amount of CPU-bound work (ROUNDS million LCG steps, default 200), then prints
 * when it started and ended on the monotonic clock (the guest's time CSR, one for all harts),
 * in microseconds: several copies at once give the makespan of the whole workload. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

int main(int argc, char **argv) {
  long long rounds = (argc > 1 ? atoll(argv[1]) : 200) * 1000000LL;
  long long start = now_us();
  volatile unsigned x = 1;
  for (long long i = 0; i < rounds; i++) x = x * 1103515245u + 12345u;
  printf("%lld %lld\n", start, now_us());
  return 0;
}
