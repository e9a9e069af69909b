/* The bare-metal side of the native benchmarks: QEMU virt boots the program in M-mode at
 * 0x80000000 (-bios none), picolibc's crt0 sets up the C runtime and calls main here, which
 * counts the instructions retired by the program's own main (renamed bench_main), prints the
 * count after the program's output and powers off through the sifive_test device (crt0 itself
 * would spin after main). */
#include <stdint.h>
#include <stdio.h>

int bench_main(void);

#define UART ((volatile uint8_t *)0x10000000UL) /* ns16550: THR at 0, LSR at 5 */
#define LSR_THRE 0x20
#define SIFIVE_TEST ((volatile uint32_t *)0x100000UL)

static int uart_putc(char c, FILE *f) {
  (void)f;
  while (!(UART[5] & LSR_THRE)) {
  }
  UART[0] = (uint8_t)c;
  return (unsigned char)c;
}

static FILE uart = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &uart;
FILE *const stdout = &uart;
FILE *const stderr = &uart;

/* sifive_test: 0x5555 powers off with status 0, 0x3333 | status << 16 with that status. */
__attribute__((noreturn)) void _exit(int status) {
  *SIFIVE_TEST = status ? (uint32_t)status << 16 | 0x3333 : 0x5555;
  for (;;) {
  }
}

/* picolibc's __libc_init_array and exit call these; nothing to do on bare metal. */
void _init(void) {}
void _fini(void) {}

static inline uint64_t instret(void) {
  uint64_t n;
  __asm__ volatile("csrr %0, minstret" : "=r"(n));
  return n;
}

int main(void) {
#ifdef __riscv_vector
  /* Built for V (bench/simd.py): mstatus.VS (bits 9-10) starts Off, and vector instructions
   * would be illegal until it is turned on. */
  __asm__ volatile("csrs mstatus, %0" ::"r"(1UL << 9));
#endif
  uint64_t before = instret();
  int status = bench_main();
  fflush(stdout);
  uint64_t after = instret();
  printf("\n@instret %llu\n", (unsigned long long)(after - before));
  fflush(stdout);
  _exit(status); /* crt0 would spin after main returns */
}
