/* Word counting with an open-addressing hash table (FNV-1a, linear probing) over 400,000
 * generated words of 3-8 letters; prints distinct words, the most frequent and a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SLOTS (1 << 18)
struct slot { char word[12]; uint32_t count; };
static struct slot table[SLOTS];

static uint32_t fnv(const char *s, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

int main(void) {
  uint32_t x = 2463534242u, distinct = 0, best = 0;
  char w[12];
  for (int i = 0; i < 400000; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    int n = 3 + (int)(x % 6);
    uint32_t y = x / 6;
    for (int k = 0; k < n; k++) w[k] = (char)('a' + y % 4), y = y / 4 + (uint32_t)k;
    w[n] = 0;
    uint32_t h = fnv(w, n) & (SLOTS - 1);
    while (table[h].count && strcmp(table[h].word, w) != 0) h = (h + 1) & (SLOTS - 1);
    if (!table[h].count) memcpy(table[h].word, w, (size_t)n + 1), distinct++;
    if (++table[h].count > table[best].count) best = h;
  }
  uint64_t sum = 0;
  for (uint32_t i = 0; i < SLOTS; i++) sum = sum * 31 + table[i].count;
  printf("%u %s %u %llu\n", distinct, table[best].word, table[best].count,
         (unsigned long long)sum);
  return 0;
}
