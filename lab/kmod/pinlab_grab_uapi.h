/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pinlab_grab: what an exported pinlab program asks the pinlab_grab module for, through ioctls on
 * /dev/pinlab_grab. Each open file has PINLAB_SLOTS grab slots and PINLAB_IOS kernel-I/O slots; a
 * slot's number is chosen by the program. Results come back in the struct's ret field (a page count or
 * bytes, or a negative errno); the ioctl itself fails only for a malformed request.
 */
#ifndef PINLAB_GRAB_UAPI_H
#define PINLAB_GRAB_UAPI_H

#define PINLAB_GRAB_DEV "/dev/pinlab_grab"
#define PINLAB_SLOTS 64
#define PINLAB_IOS 16
#define PINLAB_PAGE 4096

/* GUP flags in the modern numbering of enum FOLL_* (v6.5 on); the module maps them to its kernel's. */
#define PINLAB_FOLL_WRITE (1u << 0)
#define PINLAB_FOLL_FORCE (1u << 3)
#define PINLAB_FOLL_NOFAULT (1u << 5)
#define PINLAB_FOLL_LONGTERM (1u << 8)

/* struct pinlab_grab.mode */
#define PINLAB_MODE_GET 0u
#define PINLAB_MODE_PIN 1u
#define PINLAB_MODE_FAST 2u /* or'ed in: the _fast entry point */

/* struct pinlab_release.how */
#define PINLAB_PUT 0u
#define PINLAB_UNPIN 1u
#define PINLAB_UNPIN_DIRTY 2u

/* struct pinlab_kalloc.kind */
#define PINLAB_VMALLOC 0u
#define PINLAB_ALLOC_PAGE 1u

/* struct pinlab_kdio.flags */
#define PINLAB_KDIO_WRITE 1u
#define PINLAB_KDIO_BVEC 2u /* else ITER_KVEC */
#define PINLAB_KDIO_ASYNC 4u

/* get_user_pages()/pin_user_pages() (or _fast) of the one page at addr into slot. */
struct pinlab_grab {
	unsigned long long addr;
	unsigned int slot, mode, flags;
	int ret;
};

/* put_page(), unpin_user_page() or unpin_user_pages_dirty_lock() of a slot; vfree()/__free_page(). */
struct pinlab_release {
	unsigned int slot, how;
	int ret;
};

/* peek: copy a slot's page to buf (kmap_local_page); poke: copy buf into it, as a device DMA would. */
struct pinlab_peek {
	unsigned long long buf;
	unsigned int slot, len;
	int ret;
};

/* One page of kernel memory in slot: vmalloc() or alloc_page(), zeroed. */
struct pinlab_kalloc {
	unsigned int slot, kind;
	int ret;
};

/* O_DIRECT through a kernel iterator over a kalloc slot, to ->read_iter/->write_iter of fd at pos. */
struct pinlab_kdio {
	long long pos;
	int fd;
	unsigned int slot, io, flags;
	long long ret;
};

/* Wait for an async kdio on io to complete: its result. */
struct pinlab_kawait {
	unsigned int io;
	long long ret;
};

#define PINLAB_IOC_GRAB _IOWR(0xb7, 1, struct pinlab_grab)
#define PINLAB_IOC_RELEASE _IOWR(0xb7, 2, struct pinlab_release)
#define PINLAB_IOC_PEEK _IOWR(0xb7, 3, struct pinlab_peek)
#define PINLAB_IOC_POKE _IOWR(0xb7, 4, struct pinlab_peek)
#define PINLAB_IOC_KALLOC _IOWR(0xb7, 5, struct pinlab_kalloc)
#define PINLAB_IOC_KDIO _IOWR(0xb7, 6, struct pinlab_kdio)
#define PINLAB_IOC_KAWAIT _IOWR(0xb7, 7, struct pinlab_kawait)

#endif
