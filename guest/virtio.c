/* virtio.c: virtio over MMIO, version 2 (virtio spec 1.1, section 4.2 "Virtio Over MMIO"),
 * polled: the kernel posts a descriptor chain, notifies, and spins on the used ring. The
 * kernel's memory is identity-mapped, so buffer addresses are physical addresses. */
#include "virtio.h"

#define R(d, off) ((volatile u32 *)((d)->base + (off)))
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
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

static void set64(struct virtio_dev *d, u32 off, u64 v) {
  *R(d, off) = (u32)v;
  *R(d, off + 4) = (u32)(v >> 32);
}

static int init(struct virtio_dev *d) {
  *R(d, STATUS) = 0;
  *R(d, STATUS) = ST_ACKNOWLEDGE;
  *R(d, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER;
  /* Accept only VIRTIO_F_VERSION_1 (feature bit 32). */
  *R(d, DRIVER_FEATURES_SEL) = 0;
  *R(d, DRIVER_FEATURES) = 0;
  *R(d, DRIVER_FEATURES_SEL) = 1;
  *R(d, DRIVER_FEATURES) = 1;
  *R(d, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK;
  if (!(*R(d, STATUS) & ST_FEATURES_OK)) return -1;
  *R(d, QUEUE_SEL) = 0;
  if (*R(d, QUEUE_NUM_MAX) < VQ_SIZE) return -1;
  *R(d, QUEUE_NUM) = VQ_SIZE;
  u8 *page = kalloc(); /* desc (128 B), avail (22 B) and used (70 B) fit in one page */
  if (!page) return -1;
  d->desc = (struct vq_desc *)page;
  d->avail = (struct vq_avail *)(page + 1024);
  d->used = (struct vq_used *)(page + 2048);
  set64(d, QUEUE_DESC, (u64)d->desc);
  set64(d, QUEUE_DRIVER, (u64)d->avail);
  set64(d, QUEUE_DEVICE, (u64)d->used);
  *R(d, QUEUE_READY) = 1;
  *R(d, STATUS) = ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK;
  return 0;
}

int virtio_find(struct virtio_dev *d, u32 device_id) {
  for (u64 i = 0; i < VIRTIO_MMIO_COUNT; i++) {
    d->base = VIRTIO_MMIO_BASE + i * 0x1000;
    if (*R(d, MAGIC) == 0x74726976 && *R(d, VERSION) == 2 && *R(d, DEVICE_ID) == device_id)
      return init(d) == 0 ? 0 : (d->base = 0, -1);
  }
  d->base = 0;
  return -1;
}

int virtio_find_at(struct virtio_dev *d, u64 base, u32 device_id) {
  d->base = base;
  if (*R(d, MAGIC) != 0x74726976 || *R(d, VERSION) != 2 || *R(d, DEVICE_ID) != device_id ||
      init(d) < 0)
    return d->base = 0, -1;
  return 0;
}

void *virtio_config(struct virtio_dev *d) { return (void *)(d->base + CONFIG); }

u64 virtio_transfer(struct virtio_dev *d, const void *out, u64 out_len, void *in, u64 in_len) {
  int n = 0;
  if (out_len) {
    d->desc[n] = (struct vq_desc){(u64)out, (u32)out_len, in_len ? VRING_DESC_F_NEXT : 0, 1};
    n++;
  }
  if (in_len) d->desc[n++] = (struct vq_desc){(u64)in, (u32)in_len, VRING_DESC_F_WRITE, 0};
  d->avail->ring[d->avail->idx % VQ_SIZE] = 0;
  __sync_synchronize();
  d->avail->idx++;
  __sync_synchronize();
  *R(d, QUEUE_NOTIFY) = 0;
  while (*(volatile u16 *)&d->used->idx == d->last_used)
    ;
  __sync_synchronize();
  u32 len = d->used->ring[d->last_used % VQ_SIZE].len;
  d->last_used++;
  *R(d, INTERRUPT_ACK) = *R(d, 0x060); /* acknowledge whatever was signalled */
  return len;
}
