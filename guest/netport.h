/* netport.h: TCP connections forwarded by the host over a virtio-serial port (netport.c). */
#ifndef NETPORT_H
#define NETPORT_H
#include "osb.h"

#define NET_CONNS 128 /* connections the host may hand over at once (ids 0..NET_CONNS-1) */

/* vconsole.c, while it brings the device up: the port's queues (before DRIVER_OK; -1 when
 * the device has no port 2), then the port opened with its host side connected. */
int netport_queues(u64 base);
void netport_attach(int opened);
int netport_present(void);

/* Take every frame that has arrived into the connections (never blocks). */
void netport_poll(void);
/* The oldest connection the program has not accepted yet (its receive window is then
 * granted to the host), or -1. */
int netport_accept(void);
int netport_pending(void);            /* a connection waits for netport_accept */
u64 netport_readable(u32 id);         /* bytes waiting to be read */
int netport_ended(u32 id);            /* the peer sent its end of stream: reads give 0 */
int netport_reset(u32 id);            /* the peer's connection failed or was reset */
u64 netport_recv(u32 id, u8 *dst, u64 max); /* up to max buffered bytes */
u64 netport_writable(u32 id);         /* bytes the host will take now (its credit) */
u64 netport_send(u32 id, const u8 *src, u64 len); /* up to the credit; returns bytes sent */
void netport_shutdown(u32 id);        /* our end of stream */
void netport_close(u32 id);           /* the program closed it: the host closes the socket */
#endif
