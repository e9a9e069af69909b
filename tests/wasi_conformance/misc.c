/* misc: the calls outside the file system that the official suite's programs use: argv and
 * environ (sizes and contents), clocks (resolution and time of each clock, and that the
 * monotonic clock does not go back), random_get (a large buffer, not all zero),
 * sched_yield, and poll_oneoff with clock subscriptions (relative, absolute, several). */
#include "conf.h"

static void strings(const char *what, int env) {
  __wasi_size_t count = 0, size = 0;
  int e = env ? __wasi_environ_sizes_get(&count, &size) : __wasi_args_sizes_get(&count, &size);
  printf("%s sizes: %s count %lu size %lu\n", what, ename(e), (unsigned long)count,
         (unsigned long)size);
  uint8_t **ptrs = calloc(count + 1, sizeof *ptrs);
  uint8_t *buf = calloc(size + 1, 1);
  e = env ? __wasi_environ_get(ptrs, buf) : __wasi_args_get(ptrs, buf);
  printf("%s get: %s\n", what, ename(e));
  for (__wasi_size_t i = 0; i < count; i++) printf("  [%lu] %s\n", (unsigned long)i, ptrs[i]);
  free(ptrs);
  free(buf);
}

static void poll_clocks(const char *what, int n, int absolute) {
  __wasi_subscription_t sub[3] = {0};
  __wasi_event_t ev[3];
  __wasi_timestamp_t now = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now);
  for (int i = 0; i < n; i++) {
    sub[i].userdata = 100 + (uint64_t)i;
    sub[i].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[i].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    /* 5 ms for the first; the others far enough away (10 s, 20 s) that a loaded machine
     * cannot make them expire too, so exactly one event is deterministic on both engines. */
    uint64_t delay = i == 0 ? 5000000ULL : 10000000000ULL * (uint64_t)i;
    sub[i].u.u.clock.timeout = absolute ? now + delay : delay;
    sub[i].u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  }
  __wasi_size_t got = 0;
  int e = __wasi_poll_oneoff(sub, ev, (__wasi_size_t)n, &got);
  __wasi_timestamp_t after = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after);
  printf("%s: %s events %lu first userdata %llu error %s waited %d\n", what, ename(e),
         (unsigned long)got, got ? (unsigned long long)ev[0].userdata : 0ULL,
         ename(got ? ev[0].error : 0), after - now >= 5000000ULL);
}

int main(int argc, char **argv) {
  (void)argc, (void)argv;
  strings("args", 0);
  strings("environ", 1);
  for (int id = 0; id < 4; id++) {
    __wasi_timestamp_t res = 0, t1 = 0, t2 = 0;
    int e1 = __wasi_clock_res_get((__wasi_clockid_t)id, &res);
    int e2 = __wasi_clock_time_get((__wasi_clockid_t)id, 1, &t1);
    int e3 = __wasi_clock_time_get((__wasi_clockid_t)id, 1, &t2);
    printf("clock %d: res %s positive %d, time %s %s nonzero %d not backwards %d\n", id,
           ename(e1), res > 0, ename(e2), ename(e3), t1 > 0, t2 >= t1);
  }
  static uint8_t big[1 << 20];
  show("random_get 1 MiB", __wasi_random_get(big, sizeof big));
  int nonzero = 0;
  for (size_t i = 0; i < sizeof big; i++) nonzero += big[i] != 0;
  printf("random nonzero bytes > 1000: %d\n", nonzero > 1000);
  show("random_get 0", __wasi_random_get(big, 0));
  show("sched_yield", __wasi_sched_yield());
  poll_clocks("poll one relative", 1, 0);
  poll_clocks("poll one absolute", 1, 1);
  poll_clocks("poll three relative", 3, 0);
  __wasi_event_t ev;
  __wasi_size_t got = 0;
  show("poll none", __wasi_poll_oneoff(NULL, &ev, 0, &got));
  return 0;
}
