/* virtio.c: virtio over MMIO, version 2 (virtio spec 1.1, section 4.2 "Virtio Over MMIO"),
 * polled: the kernel posts descriptor chains, notifies, and spins on the used ring. The
 * kernel's memory is identity-mapped, so buffer addresses are physical addresses. */
#include "virtio.h"

#define R(base, off) ((volatile u32 *)((base) + (off)))
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0A0
#define CONFIG 0x100

#define ST_ACKNOWLEDGE 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define VIRTIO_MAGIC 0x74726976 /* "virt" */

static void set64(u64 base, u32 off, u64 v) {
  *R(base, off) = (u32)v;
  *R(base, off + 4) = (u32)(v >> 32);
}

int virtio_begin(u64 base, u32 device_id, u32 features) {
  if (*R(base, MAGIC) != VIRTIO_MAGIC || *R(base, VERSION) != 2 ||
      *R(base, DEVICE_ID) != device_id)
    return -1;
  *R(base, STATUS) = 0; /* reset */
  *R(base, STATUS) = ST_ACKNOWLEDGE;
  *R(base, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER;
  *R(base, DEVICE_FEATURES_SEL) = 0;
  if ((*R(base, DEVICE_FEATURES) & features) != features) return -1;
  *R(base, DRIVER_FEATURES_SEL) = 0;
  *R(base, DRIVER_FEATURES) = features;
  *R(base, DRIVER_FEATURES_SEL) = 1;
  *R(base, DRIVER_FEATURES) = 1; /* VIRTIO_F_VERSION_1 (feature bit 32) */
  *R(base, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK;
  return *R(base, STATUS) & ST_FEATURES_OK ? 0 : -1;
}

/* Queue `index` with `size` entries, its rings in one zeroed page: descriptors at 0, the
 * available ring at 1024, the used ring at 2048 (each ring's alignment is met). */
int virtio_queue(u64 base, struct virtq *q, u16 index, u16 size) {
  *R(base, QUEUE_SEL) = index;
  if (size > VQ_MAX || *R(base, QUEUE_NUM_MAX) < size) return -1;
  u8 *page = kalloc();
  if (!page) return -1;
  *q = (struct virtq){.index = index, .size = size, .desc = (struct vq_desc *)page,
                      .avail = (struct vq_avail *)(page + 1024),
                      .used = (struct vq_used *)(page + 2048)};
  *R(base, QUEUE_NUM) = size;
  set64(base, QUEUE_DESC, (u64)q->desc);
  set64(base, QUEUE_DRIVER, (u64)q->avail);
  set64(base, QUEUE_DEVICE, (u64)q->used);
  *R(base, QUEUE_READY) = 1;
  return 0;
}

void virtio_ready(u64 base) {
  *R(base, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK;
}

void virtq_notify(u64 base, struct virtq *q) {
  __sync_synchronize(); /* the device must see the ring before the doorbell */
  *R(base, QUEUE_NOTIFY) = q->index;
}

void virtq_post(u64 base, struct virtq *q, u16 head, int notify) {
  q->avail->ring[q->avail->idx % q->size] = head;
  __sync_synchronize(); /* the entry before the index that publishes it */
  q->avail->idx++;
  if (notify) virtq_notify(base, q);
}

int virtq_used(struct virtq *q, struct vq_used_elem *e) {
  if (*(volatile u16 *)&q->used->idx == q->last_used) return 0;
  __sync_synchronize(); /* the entry after the index that published it */
  *e = q->used->ring[q->last_used % q->size];
  q->last_used++;
  return 1;
}

/* One queue of VQ_SIZE entries and no device-specific features (rng, 9P). */
static int init(struct virtio_dev *d, u32 device_id) {
  if (virtio_begin(d->base, device_id, 0) < 0 || virtio_queue(d->base, &d->q, 0, VQ_SIZE) < 0)
    return -1;
  virtio_ready(d->base);
  return 0;
}

int virtio_find(struct virtio_dev *d, u32 device_id) {
  for (u64 i = 0; i < VIRTIO_MMIO_COUNT; i++) {
    d->base = VIRTIO_MMIO_BASE + i * 0x1000;
    if (init(d, device_id) == 0) return 0;
  }
  d->base = 0;
  return -1;
}

int virtio_find_at(struct virtio_dev *d, u64 base, u32 device_id) {
  d->base = base;
  if (init(d, device_id) < 0) return d->base = 0, -1;
  return 0;
}

void *virtio_config(struct virtio_dev *d) { return (void *)(d->base + CONFIG); }

u64 virtio_transfer(struct virtio_dev *d, const void *out, u64 out_len, void *in, u64 in_len) {
  struct virtq *q = &d->q;
  int n = 0;
  if (out_len) {
    q->desc[n] = (struct vq_desc){(u64)out, (u32)out_len, in_len ? VRING_DESC_F_NEXT : 0, 1};
    n++;
  }
  if (in_len) q->desc[n++] = (struct vq_desc){(u64)in, (u32)in_len, VRING_DESC_F_WRITE, 0};
  virtq_post(d->base, q, 0, 1);
  struct vq_used_elem e;
  while (!virtq_used(q, &e))
    ;
  *R(d->base, INTERRUPT_ACK) = *R(d->base, INTERRUPT_STATUS); /* acknowledge what was signalled */
  return e.len;
}
