/* virtio.h: polled virtio-mmio (version 2) devices. A device has one or more virtqueues, each in
 * one page: the entropy device (virtio-rng) and the 9P transport (virtio-9p) use one queue
 * through virtio_transfer; the console (vconsole.c) drives four queues itself. */
#ifndef VIRTIO_H
#define VIRTIO_H
#include "osb.h"

#define VIRTIO_MMIO_BASE 0x10001000UL /* QEMU virt: 8 transports, 0x1000 apart */
#define VIRTIO_MMIO_COUNT 8
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_9P 9
#define VQ_SIZE 8    /* the one queue of rng and 9P: one request at a time */
#define VQ_MAX 64    /* desc (16 B each), avail and used rings of 64 entries fit in one page */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2 /* the device writes this buffer */

struct vq_desc { u64 addr; u32 len; u16 flags, next; };
struct vq_avail { u16 flags, idx, ring[VQ_MAX]; };
struct vq_used_elem { u32 id, len; };
struct vq_used { u16 flags, idx; struct vq_used_elem ring[VQ_MAX]; };

/* One virtqueue: the driver's view of its three rings. */
struct virtq {
  u16 index, size; /* queue number on the device, entries (a power of two, <= VQ_MAX) */
  struct vq_desc *desc;
  struct vq_avail *avail;
  struct vq_used *used;
  u16 last_used; /* used entries consumed so far */
};

struct virtio_dev {
  u64 base; /* 0 when absent */
  struct virtq q; /* queue 0 (virtio_transfer) */
};

int virtio_find(struct virtio_dev *d, u32 device_id);
int virtio_find_at(struct virtio_dev *d, u64 base, u32 device_id);
/* Send `out` (device reads) and receive into `in` (device writes); returns bytes written. */
u64 virtio_transfer(struct virtio_dev *d, const void *out, u64 out_len, void *in, u64 in_len);
void *virtio_config(struct virtio_dev *d);

/* Devices with several queues: reset and negotiate VIRTIO_F_VERSION_1 plus `features` (bits
 * 0-31; -1 if the device lacks one), set up each queue, then declare the driver ready. */
int virtio_begin(u64 base, u32 device_id, u32 features);
int virtio_queue(u64 base, struct virtq *q, u16 index, u16 size);
void virtio_ready(u64 base);
/* Post descriptor `head` (a chain already written in q->desc) and tell the device. */
void virtq_post(u64 base, struct virtq *q, u16 head, int notify);
void virtq_notify(u64 base, struct virtq *q);
/* The next used entry, or 0 when the device has returned nothing new. */
int virtq_used(struct virtq *q, struct vq_used_elem *e);
#endif
