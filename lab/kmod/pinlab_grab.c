// SPDX-License-Identifier: GPL-2.0
/*
 * pinlab_grab: the kernel-side actor of pinlab's exported programs (the klitmus7 counterpart). A
 * process cannot hold a GUP reference with any FOLL_* flags it likes, read a page through a kernel
 * grab, or run O_DIRECT through a kernel iterator over vmalloc()/alloc_page() memory: this module
 * does each on request, through ioctls on /dev/pinlab_grab (pinlab_grab_uapi.h). Built out of tree
 * against a kernel's headers; the GUP calls differ per release and are chosen by LINUX_VERSION_CODE.
 */
#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "pinlab_grab_uapi.h"

enum pl_kind { PL_EMPTY, PL_GET, PL_PIN, PL_VMALLOC, PL_PAGE };

struct pl_slot {
	struct mutex lock;
	enum pl_kind kind;
	struct page *page;
	void *vaddr;	  /* PL_VMALLOC: the vmalloc() address */
	int inflight;	  /* async kernel I/Os using this slot's memory */
	bool released;	  /* put while I/O was in flight: freed when the last one is reaped */
};

struct pl_io {
	struct kiocb kiocb;
	struct kvec kv;
	struct bio_vec bv;
	struct iov_iter iter;
	struct file *file;
	struct completion done;
	long ret;
	int slot;		  /* -1 when idle */
};

/* The range the gup_test stand-in holds pinned (PIN_LONGTERM_TEST_START to _STOP). */
struct pl_longterm {
	struct page **pages;
	long nr;
};

struct pl_ctx {
	struct pl_slot slots[PINLAB_SLOTS];
	struct pl_io ios[PINLAB_IOS];
	struct mutex io_lock;
	struct pl_longterm longterm;
	struct mutex longterm_lock;
};

/* The caller's flags, in the modern FOLL_* numbering, as this kernel's FOLL_* bits. */
static int pl_foll(unsigned int bits, unsigned int *foll)
{
	*foll = 0;
	if (bits & ~(PINLAB_FOLL_WRITE | PINLAB_FOLL_FORCE | PINLAB_FOLL_NOFAULT | PINLAB_FOLL_LONGTERM))
		return -EINVAL;
	if (bits & PINLAB_FOLL_WRITE)
		*foll |= FOLL_WRITE;
	if (bits & PINLAB_FOLL_FORCE)
		*foll |= FOLL_FORCE;
	if (bits & PINLAB_FOLL_LONGTERM)
		*foll |= FOLL_LONGTERM;
	if (bits & PINLAB_FOLL_NOFAULT) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
		*foll |= FOLL_NOFAULT;
#else
		return -EOPNOTSUPP; /* FOLL_NOFAULT came in v5.16 */
#endif
	}
	return 0;
}

/* get_user_pages()/pin_user_pages() need mmap_lock held; the vmas argument went in v6.5. */
static long pl_gup(unsigned long addr, unsigned int mode, unsigned int foll, struct page **page)
{
	bool pin = mode & PINLAB_MODE_PIN;
	long r;

	if (mode & PINLAB_MODE_FAST)
		return pin ? pin_user_pages_fast(addr, 1, foll, page) : get_user_pages_fast(addr, 1, foll, page);
	mmap_read_lock(current->mm);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
	r = pin ? pin_user_pages(addr, 1, foll, page, NULL) : get_user_pages(addr, 1, foll, page, NULL);
#else
	r = pin ? pin_user_pages(addr, 1, foll, page) : get_user_pages(addr, 1, foll, page);
#endif
	mmap_read_unlock(current->mm);
	return r;
}

static struct pl_slot *pl_slot(struct pl_ctx *c, unsigned int n)
{
	return n < PINLAB_SLOTS ? &c->slots[n] : NULL;
}

static int pl_grab(struct pl_ctx *c, struct pinlab_grab *g)
{
	struct pl_slot *s = pl_slot(c, g->slot);
	struct page *page = NULL;
	unsigned int foll;
	long r;

	if (!s || (g->mode & ~(PINLAB_MODE_PIN | PINLAB_MODE_FAST)))
		return -EINVAL;
	r = pl_foll(g->flags, &foll);
	/* mm/gup.c:is_valid_gup_args() refuses LONGTERM without PIN, with a WARN: refuse it quietly. */
	if (!r && !(g->mode & PINLAB_MODE_PIN) && (foll & FOLL_LONGTERM))
		r = -EINVAL;
	mutex_lock(&s->lock);
	if (!r && s->kind != PL_EMPTY)
		r = -EBUSY;
	if (!r)
		r = pl_gup((unsigned long)g->addr, g->mode, foll, &page);
	if (r == 1) {
		s->kind = g->mode & PINLAB_MODE_PIN ? PL_PIN : PL_GET;
		s->page = page;
	}
	mutex_unlock(&s->lock);
	g->ret = (int)r;
	return 0;
}

/* Drop what the slot holds, the way it was taken; with the lock held. */
static void pl_drop(struct pl_slot *s, bool dirty)
{
	switch (s->kind) {
	case PL_GET:
		put_page(s->page);
		break;
	case PL_PIN:
		unpin_user_pages_dirty_lock(&s->page, 1, dirty);
		break;
	case PL_VMALLOC:
		vfree(s->vaddr);
		break;
	case PL_PAGE:
		__free_page(s->page);
		break;
	case PL_EMPTY:
		break;
	}
	s->kind = PL_EMPTY;
	s->page = NULL;
	s->vaddr = NULL;
	s->released = false;
}

/*
 * A release that does not match the grab (put of a pin, unpin of a reference) would corrupt the
 * page's counters: the slot is dropped the way it was taken and the caller gets -EINVAL.
 */
static int pl_release(struct pl_ctx *c, struct pinlab_release *q)
{
	struct pl_slot *s = pl_slot(c, q->slot);
	bool unpin = q->how != PINLAB_PUT;

	if (!s || q->how > PINLAB_UNPIN_DIRTY)
		return -EINVAL;
	mutex_lock(&s->lock);
	q->ret = 0;
	if (s->kind == PL_EMPTY || s->released)
		q->ret = -ENOENT;
	else if (unpin != (s->kind == PL_PIN))
		q->ret = -EINVAL;
	if (s->kind != PL_EMPTY && !s->released) {
		/*
		 * A kernel caller that frees memory under its own async I/O is the use-after-free pinlab
		 * models: the module keeps the memory until the I/O is reaped so the machine survives it.
		 */
		if (s->inflight > 0)
			s->released = true;
		else
			pl_drop(s, q->how == PINLAB_UNPIN_DIRTY);
	}
	mutex_unlock(&s->lock);
	return 0;
}

/* Copy between the slot's page and a kernel buffer (kmap_local_page() from v5.11, kmap_atomic() before). */
static int pl_copy(struct pl_slot *s, void *buf, size_t len, bool to_page)
{
	void *p;

	if (s->kind == PL_EMPTY || s->released)
		return -ENOENT;
	if (s->kind == PL_VMALLOC) {
		p = s->vaddr;
	} else {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
		p = kmap_local_page(s->page);
#else
		p = kmap_atomic(s->page);
#endif
	}
	if (to_page)
		memcpy(p, buf, len);
	else
		memcpy(buf, p, len);
	if (s->kind != PL_VMALLOC) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
		kunmap_local(p);
#else
		kunmap_atomic(p);
#endif
	}
	return 0;
}

static int pl_peek(struct pl_ctx *c, struct pinlab_peek *q, bool poke)
{
	struct pl_slot *s = pl_slot(c, q->slot);
	size_t len = q->len;
	void __user *ubuf = u64_to_user_ptr(q->buf);
	void *bounce;
	int r = 0;

	if (!s || len > PINLAB_PAGE)
		return -EINVAL;
	bounce = kzalloc(PINLAB_PAGE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (poke && copy_from_user(bounce, ubuf, len))
		r = -EFAULT;
	if (!r) {
		mutex_lock(&s->lock);
		r = pl_copy(s, bounce, len, poke);
		mutex_unlock(&s->lock);
	}
	if (!r && !poke && copy_to_user(ubuf, bounce, len))
		r = -EFAULT;
	kfree(bounce);
	q->ret = r;
	return 0;
}

static int pl_kalloc(struct pl_ctx *c, struct pinlab_kalloc *q)
{
	struct pl_slot *s = pl_slot(c, q->slot);

	if (!s || q->kind > PINLAB_ALLOC_PAGE)
		return -EINVAL;
	mutex_lock(&s->lock);
	q->ret = 0;
	if (s->kind != PL_EMPTY) {
		q->ret = -EBUSY;
	} else if (q->kind == PINLAB_VMALLOC) {
		s->vaddr = vzalloc(PAGE_SIZE);
		s->page = s->vaddr ? vmalloc_to_page(s->vaddr) : NULL;
		s->kind = s->vaddr ? PL_VMALLOC : PL_EMPTY;
	} else {
		s->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		s->kind = s->page ? PL_PAGE : PL_EMPTY;
	}
	if (!q->ret && s->kind == PL_EMPTY)
		q->ret = -ENOMEM;
	mutex_unlock(&s->lock);
	return 0;
}

/* The async completion (bio end_io context): record the result, wake the waiter. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
static void pl_complete(struct kiocb *iocb, long ret)
#else
static void pl_complete(struct kiocb *iocb, long ret, long ret2)
#endif
{
	struct pl_io *io = container_of(iocb, struct pl_io, kiocb);

	io->ret = ret;
	complete(&io->done);
}

/* The I/O on io is over: drop the file and the slot's in-flight count (freeing a released slot). */
static void pl_io_end(struct pl_ctx *c, struct pl_io *io)
{
	struct pl_slot *s = &c->slots[io->slot];

	fput(io->file);
	mutex_lock(&s->lock);
	if (--s->inflight == 0 && s->released)
		pl_drop(s, false);
	mutex_unlock(&s->lock);
	io->slot = -1;
}

/*
 * O_DIRECT through an ITER_KVEC or ITER_BVEC iterator over the slot's page, as a kernel caller
 * (loop, nfsd, kernel_read()) does: a kiocb with IOCB_DIRECT handed to ->read_iter/->write_iter.
 */
static int pl_kdio(struct pl_ctx *c, struct pinlab_kdio *q)
{
	struct pl_slot *s = pl_slot(c, q->slot);
	bool write = q->flags & PINLAB_KDIO_WRITE, async = q->flags & PINLAB_KDIO_ASYNC;
	struct pl_io *io;
	struct file *file;
	ssize_t r;

	if (!s || q->io >= PINLAB_IOS || q->flags & ~(PINLAB_KDIO_WRITE | PINLAB_KDIO_BVEC | PINLAB_KDIO_ASYNC))
		return -EINVAL;
	io = &c->ios[q->io];
	mutex_lock(&c->io_lock);
	if (io->slot >= 0) {
		mutex_unlock(&c->io_lock);
		return -EBUSY;
	}
	file = fget(q->fd);
	mutex_lock(&s->lock);
	r = !file ? -EBADF : (s->kind != PL_VMALLOC && s->kind != PL_PAGE) || s->released ? -EINVAL : 0;
	/* Only the access the file was opened for, through the method that does it. */
	if (!r && !(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		r = -EBADF;
	if (!r && !(write ? file->f_op->write_iter : file->f_op->read_iter))
		r = -EINVAL;
	if (r) {
		mutex_unlock(&s->lock);
		mutex_unlock(&c->io_lock);
		if (file)
			fput(file);
		q->ret = r;
		return 0;
	}
	s->inflight++;
	io->slot = (int)q->slot;
	io->file = file;
	if (q->flags & PINLAB_KDIO_BVEC) {
		io->bv = (struct bio_vec){ .bv_page = s->page, .bv_len = PINLAB_PAGE, .bv_offset = 0 };
		iov_iter_bvec(&io->iter, write ? WRITE : READ, &io->bv, 1, PINLAB_PAGE);
	} else {
		io->kv = (struct kvec){ .iov_base = s->kind == PL_VMALLOC ? s->vaddr : page_address(s->page),
					.iov_len = PINLAB_PAGE };
		iov_iter_kvec(&io->iter, write ? WRITE : READ, &io->kv, 1, PINLAB_PAGE);
	}
	mutex_unlock(&s->lock);
	init_sync_kiocb(&io->kiocb, file);
	io->kiocb.ki_flags |= IOCB_DIRECT;
	io->kiocb.ki_pos = q->pos;
	init_completion(&io->done);
	if (async)
		io->kiocb.ki_complete = pl_complete;
	mutex_unlock(&c->io_lock);
	r = write ? file->f_op->write_iter(&io->kiocb, &io->iter) : file->f_op->read_iter(&io->kiocb, &io->iter);
	q->ret = r;
	if (async && r == -EIOCBQUEUED)
		return 0;
	/* Done already (sync, or async that completed or failed at once): nothing left to reap. */
	if (async)
		io->ret = r;
	pl_io_end(c, io);
	if (async) {
		io->slot = -2; /* reaped by kawait, which reports the result */
		complete(&io->done);
	}
	return 0;
}

static int pl_kawait(struct pl_ctx *c, struct pinlab_kawait *q)
{
	struct pl_io *io;

	if (q->io >= PINLAB_IOS)
		return -EINVAL;
	io = &c->ios[q->io];
	if (io->slot == -1) {
		q->ret = -ENOENT;
		return 0;
	}
	if (wait_for_completion_killable(&io->done))
		return -EINTR;
	mutex_lock(&c->io_lock);
	q->ret = io->ret;
	if (io->slot >= 0)
		pl_io_end(c, io);
	io->slot = -1;
	mutex_unlock(&c->io_lock);
	return 0;
}

/*
 * A stand-in for mm/gup_test.c's R/O-pin interface, which the kernel's cow selftest opens at
 * /sys/kernel/debug/gup_test and Debian's kernels lack (CONFIG_GUP_TEST off): the same three ioctl
 * numbers and argument layout (tools/testing/selftests/mm's gup_test.h), written for this module.
 */
struct pl_pin_longterm_test {
	__u64 addr;
	__u64 size;
	__u32 flags;
};
#define PL_LT_WRITE 1
#define PL_LT_FAST 2
#define PL_LT_START _IOW('g', 7, struct pl_pin_longterm_test)
#define PL_LT_STOP _IO('g', 8)
#define PL_LT_READ _IOW('g', 9, __u64)

static void pl_lt_stop(struct pl_longterm *lt)
{
	if (lt->pages && lt->nr)
		unpin_user_pages(lt->pages, lt->nr);
	kvfree(lt->pages);
	lt->pages = NULL;
	lt->nr = 0;
}

/* FOLL_LONGTERM pins (FOLL_WRITE on request) of every page of the range, as gup_test takes them. */
static int pl_lt_start(struct pl_longterm *lt, void __user *argp)
{
	struct pl_pin_longterm_test a;
	unsigned int foll = FOLL_LONGTERM;
	long want, got;
	int ret = 0;

	if (lt->pages)
		return -EINVAL;
	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if ((a.flags & ~(PL_LT_WRITE | PL_LT_FAST)) || !IS_ALIGNED(a.addr | a.size, PAGE_SIZE) || !a.size ||
	    a.size > LONG_MAX)
		return -EINVAL;
	want = a.size / PAGE_SIZE;
	lt->pages = kvcalloc(want, sizeof(struct page *), GFP_KERNEL);
	if (!lt->pages)
		return -ENOMEM;
	if (a.flags & PL_LT_WRITE)
		foll |= FOLL_WRITE;
	if (!(a.flags & PL_LT_FAST))
		mmap_read_lock(current->mm);
	while (lt->nr < want) {
		unsigned long addr = a.addr + lt->nr * PAGE_SIZE;
		struct page **at = lt->pages + lt->nr;

		if (a.flags & PL_LT_FAST)
			got = pin_user_pages_fast(addr, want - lt->nr, foll, at);
		else
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
			got = pin_user_pages(addr, want - lt->nr, foll, at, NULL);
#else
			got = pin_user_pages(addr, want - lt->nr, foll, at);
#endif
		if (got <= 0) {
			pl_lt_stop(lt);
			ret = got ? (int)got : -EFAULT;
			break;
		}
		lt->nr += got;
	}
	if (!(a.flags & PL_LT_FAST))
		mmap_read_unlock(current->mm);
	return ret;
}

/* Copy every pinned page, in order, to the user address the argument holds. */
static int pl_lt_read(struct pl_longterm *lt, void __user *argp)
{
	__u64 to;
	long i;

	if (!lt->pages)
		return -EINVAL;
	if (copy_from_user(&to, argp, sizeof(to)))
		return -EFAULT;
	for (i = 0; i < lt->nr; i++, to += PAGE_SIZE) {
		void *p = kmap(lt->pages[i]);
		unsigned long left = copy_to_user(u64_to_user_ptr(to), p, PAGE_SIZE);

		kunmap(lt->pages[i]);
		if (left)
			return -EFAULT;
	}
	return 0;
}

static long pl_lt_ioctl(struct pl_ctx *c, unsigned int cmd, void __user *argp)
{
	long r = -ENOTTY;

	mutex_lock(&c->longterm_lock);
	if (cmd == PL_LT_START)
		r = pl_lt_start(&c->longterm, argp);
	else if (cmd == PL_LT_READ)
		r = pl_lt_read(&c->longterm, argp);
	else if (cmd == PL_LT_STOP) {
		pl_lt_stop(&c->longterm);
		r = 0;
	}
	mutex_unlock(&c->longterm_lock);
	return r;
}

#define PL_IOCTL(cmd, type, call)                                           \
	case cmd: {                                                         \
		type q;                                                     \
		if (copy_from_user(&q, argp, sizeof(q)))                   \
			return -EFAULT;                                     \
		r = call;                                                   \
		if (!r && copy_to_user(argp, &q, sizeof(q)))               \
			return -EFAULT;                                     \
		return r;                                                   \
	}

static long pl_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pl_ctx *c = f->private_data;
	void __user *argp = (void __user *)arg;
	int r;

	switch (cmd) {
	PL_IOCTL(PINLAB_IOC_GRAB, struct pinlab_grab, pl_grab(c, &q))
	PL_IOCTL(PINLAB_IOC_RELEASE, struct pinlab_release, pl_release(c, &q))
	PL_IOCTL(PINLAB_IOC_PEEK, struct pinlab_peek, pl_peek(c, &q, false))
	PL_IOCTL(PINLAB_IOC_POKE, struct pinlab_peek, pl_peek(c, &q, true))
	PL_IOCTL(PINLAB_IOC_KALLOC, struct pinlab_kalloc, pl_kalloc(c, &q))
	PL_IOCTL(PINLAB_IOC_KDIO, struct pinlab_kdio, pl_kdio(c, &q))
	PL_IOCTL(PINLAB_IOC_KAWAIT, struct pinlab_kawait, pl_kawait(c, &q))
	}
	return pl_lt_ioctl(c, cmd, argp);
}

static int pl_open(struct inode *inode, struct file *f)
{
	struct pl_ctx *c = kvzalloc(sizeof(*c), GFP_KERNEL);
	int i;

	if (!c)
		return -ENOMEM;
	for (i = 0; i < PINLAB_SLOTS; i++)
		mutex_init(&c->slots[i].lock);
	for (i = 0; i < PINLAB_IOS; i++)
		c->ios[i].slot = -1;
	mutex_init(&c->io_lock);
	mutex_init(&c->longterm_lock);
	f->private_data = c;
	return 0;
}

/* The last close: wait for every async I/O, then drop every grab and free every allocation. */
static int pl_close(struct inode *inode, struct file *f)
{
	struct pl_ctx *c = f->private_data;
	int i;

	for (i = 0; i < PINLAB_IOS; i++) {
		if (c->ios[i].slot == -1)
			continue;
		wait_for_completion(&c->ios[i].done);
		if (c->ios[i].slot >= 0)
			pl_io_end(c, &c->ios[i]);
	}
	for (i = 0; i < PINLAB_SLOTS; i++)
		pl_drop(&c->slots[i], false);
	pl_lt_stop(&c->longterm);
	kvfree(c);
	return 0;
}

static const struct file_operations pl_fops = {
	.owner = THIS_MODULE,
	.open = pl_open,
	.release = pl_close,
	.unlocked_ioctl = pl_ioctl,
};

static struct miscdevice pl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pinlab_grab",
	.fops = &pl_fops,
	.mode = 0666,
};

static struct dentry *pl_gup_test;

/* /sys/kernel/debug/gup_test, where the kernel has none of its own: the cow selftest's R/O pins. */
static int __init pl_init(void)
{
	int r = misc_register(&pl_dev);

	if (r)
		return r;
	if (!IS_ENABLED(CONFIG_GUP_TEST))
		pl_gup_test = debugfs_create_file("gup_test", 0600, NULL, NULL, &pl_fops);
	return 0;
}

static void __exit pl_exit(void)
{
	debugfs_remove(pl_gup_test);
	misc_deregister(&pl_dev);
}

module_init(pl_init);
module_exit(pl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pinlab: GUP grabs and kernel-iterator O_DIRECT for exported pinlab programs");
