/* Quicksort (median of three, insertion sort below 16) of 300,000 pseudo-random 32-bit keys,
 * then a binary search for each of 100,000 keys; prints a checksum. */
#include <stdint.h>
#include <stdio.h>

#define N 300000
static uint32_t a[N];

static void insertion(uint32_t *v, int n) {
  for (int i = 1; i < n; i++) {
    uint32_t x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) v[j + 1] = v[j], j--;
    v[j + 1] = x;
  }
}

static void quicksort(uint32_t *v, int n) {
  while (n > 16) {
    uint32_t p0 = v[0], p1 = v[n / 2], p2 = v[n - 1];
    uint32_t p = p0 < p1 ? (p1 < p2 ? p1 : p0 < p2 ? p2 : p0) : (p0 < p2 ? p0 : p1 < p2 ? p2 : p1);
    int i = 0, j = n - 1;
    for (;;) {
      while (v[i] < p) i++;
      while (v[j] > p) j--;
      if (i >= j) break;
      uint32_t t = v[i];
      v[i++] = v[j], v[j--] = t;
    }
    if (j + 1 < n - j - 1) quicksort(v, j + 1), v += j + 1, n -= j + 1;
    else quicksort(v + j + 1, n - j - 1), n = j + 1;
  }
  insertion(v, n);
}

int main(void) {
  uint32_t x = 88172645u;
  for (int i = 0; i < N; i++) x ^= x << 13, x ^= x >> 17, x ^= x << 5, a[i] = x;
  quicksort(a, N);
  uint64_t sum = 0;
  for (int i = 1; i < N; i++)
    if (a[i - 1] > a[i]) return 1;
  for (int q = 0; q < 100000; q++) {
    uint32_t key = a[(q * 7919u) % N] + (q & 1);
    int lo = 0, hi = N;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (a[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    sum += (uint64_t)lo * (q + 1);
  }
  printf("%llu\n", (unsigned long long)sum);
  return 0;
}
