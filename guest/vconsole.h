/* vconsole.h: program stdio over a virtio console port (vconsole.c). */
#ifndef VCONSOLE_H
#define VCONSOLE_H
#include "osb.h"

/* Find and open the console port; -1 when the machine has none (output then stays on the
 * UART and stdin reads as end of file). */
int vcons_init(void);
/* Send `len` bytes as frames of `channel` ('1' stdout, '2' stderr); returns once the host has
 * them. -1 when there is no port. */
int vcons_write(char channel, const char *data, u64 len);
/* Up to `max` bytes of stdin into `dst`. With `wait`, blocks until at least one byte or the
 * end of the stream; without, takes only what has arrived. 0: end of file (or, without
 * `wait`, nothing yet). */
u64 vcons_read(u8 *dst, u64 max, int wait);
int vcons_eof(void);     /* stdin has ended (or there is no console port) */
int vcons_present(void); /* the machine has the console port */
#endif
