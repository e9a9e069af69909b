/* uart.c: the ns16550a UART of QEMU virt at 0x10000000, polled. */
#include "osb.h"

#define REG(r) ((volatile u8 *)(UART0 + (r)))
#define THR 0 /* transmit holding register */
#define IER 1 /* interrupt enable */
#define FCR 2 /* FIFO control */
#define LCR 3 /* line control */
#define LSR 5 /* line status */
#define LSR_THRE (1 << 5) /* transmit holding register empty */
#define LSR_DR (1 << 0)   /* receive data ready */
#define RBR 0             /* receive buffer register */

void uart_init(void) {
  *REG(IER) = 0x00;      /* no interrupts: the kernel polls */
  *REG(LCR) = 0x03;      /* 8 data bits, no parity, 1 stop bit */
  *REG(FCR) = 0x05;      /* enable the FIFOs, clear transmit; keep what the host already sent */
}

void uart_putc(char c) {
  while (!(*REG(LSR) & LSR_THRE))
    ;
  *REG(THR) = (u8)c;
}

/* Wait for one byte from the host (QEMU's -serial stdio: the host's pipe). */
char uart_getc(void) {
  while (!(*REG(LSR) & LSR_DR))
    ;
  return (char)*REG(RBR);
}
