/* Hex encoding of a buffer, the 16-entry table lookup that SIMD code does with a byte shuffle
 * (x86's pshufb, wasm's i8x16.swizzle, RVV's vrgather). No vectoriser turns the lookup loop
 * into a swizzle, so the wasm SIMD build (__wasm_simd128__) says it with wasm_simd128.h's
 * intrinsics; every other build runs the plain loop. Prints a checksum of the output. */
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define N 65536

static uint8_t in[N], out[2 * N];
static const char digits[16] = "0123456789abcdef";

static void encode(void) {
#ifdef __wasm_simd128__
  const v128_t table = wasm_v128_load(digits);
  for (int i = 0; i < N; i += 16) {
    v128_t v = wasm_v128_load(in + i);
    v128_t hi = wasm_i8x16_swizzle(table, wasm_u8x16_shr(v, 4));
    v128_t lo = wasm_i8x16_swizzle(table, wasm_v128_and(v, wasm_i8x16_splat(15)));
    wasm_v128_store(out + 2 * i, wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20,
                                                    5, 21, 6, 22, 7, 23));
    wasm_v128_store(out + 2 * i + 16, wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27,
                                                         12, 28, 13, 29, 14, 30, 15, 31));
  }
#else
  for (int i = 0; i < N; i++) {
    out[2 * i] = (uint8_t)digits[in[i] >> 4];
    out[2 * i + 1] = (uint8_t)digits[in[i] & 15];
  }
#endif
}

int main(void) {
  uint32_t x = 15, h = 0;
  for (int i = 0; i < N; i++) x = x * 1103515245u + 12345u, in[i] = (uint8_t)(x >> 16);
  for (int r = 0; r < 16; r++) {
    encode();
    for (int i = 0; i < N; i++) in[i] ^= out[i + r];
  }
  for (int i = 0; i < 2 * N; i++) h = h * 31 + out[i];
  printf("%08x %.8s\n", h, (const char *)out);
  return 0;
}
