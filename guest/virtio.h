/* virtio.h: a polled virtio-mmio (version 2) device with one virtqueue: enough for the
 * entropy device (virtio-rng) and the 9P transport (virtio-9p). */
#ifndef VIRTIO_H
#define VIRTIO_H
#include "osb.h"

#define VIRTIO_MMIO_BASE 0x10001000UL /* QEMU virt: 8 transports, 0x1000 apart */
#define VIRTIO_MMIO_COUNT 8
#define VIRTIO_ID_RNG 4
#define VIRTIO_ID_9P 9
#define VQ_SIZE 8

struct vq_desc { u64 addr; u32 len; u16 flags, next; };
struct vq_avail { u16 flags, idx, ring[VQ_SIZE]; u16 used_event; };
struct vq_used_elem { u32 id, len; };
struct vq_used { u16 flags, idx; struct vq_used_elem ring[VQ_SIZE]; u16 avail_event; };

struct virtio_dev {
  u64 base; /* 0 when absent */
  struct vq_desc *desc;
  struct vq_avail *avail;
  struct vq_used *used;
  u16 last_used;
};

int virtio_find(struct virtio_dev *d, u32 device_id);
int virtio_find_at(struct virtio_dev *d, u64 base, u32 device_id);
/* Send `out` (device reads) and receive into `in` (device writes); returns bytes written. */
u64 virtio_transfer(struct virtio_dev *d, const void *out, u64 out_len, void *in, u64 in_len);
void *virtio_config(struct virtio_dev *d);
#endif
