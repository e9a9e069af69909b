/* CRC-32 (IEEE, reflected, table-driven) of a generated 2 MiB buffer, 8 passes. */
#include <stdint.h>
#include <stdio.h>

static uint32_t table[256];
static uint8_t buf[1 << 21];

int main(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  uint32_t x = 7;
  for (uint32_t i = 0; i < sizeof buf; i++) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    buf[i] = (uint8_t)x;
  }
  uint32_t crc = 0;
  for (int pass = 0; pass < 8; pass++) {
    uint32_t c = ~crc;
    for (uint32_t i = 0; i < sizeof buf; i++) c = table[(c ^ buf[i]) & 0xFF] ^ (c >> 8);
    crc = ~c;
    buf[pass] ^= (uint8_t)crc;
  }
  printf("%08x\n", crc);
  return 0;
}
