import { PINLAB_GRAB_UAPI } from './kmod-uapi.js';

/**
 * The fixed part of an exported program for what only the kernel-side actor can do: the pinlab_grab
 * module (lab/kmod) holds GUP grabs with any FOLL_* flags, reads a page through a grab, allocates
 * kernel memory and runs O_DIRECT through ITER_KVEC / ITER_BVEC iterators over it, through ioctls on
 * /dev/pinlab_grab. Each run opens the device and closes it at the end: the module then waits for
 * the run's kernel I/O and drops every grab it still holds. Included only when the scenario needs it.
 */
export const C_KMOD = `${PINLAB_GRAB_UAPI}${String.raw`
#define PINLAB_EIOCBQUEUED 529 /* the kernel's "queued, completion will follow" */

static int kmod_fd = -1;

/* No module: the whole program is a skip, with the first op that needs it. */
RT void need_kmod(const char *what)
{
	char why[300];
	int fd = open(PINLAB_GRAB_DEV, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return;
	}
	snprintf(why, sizeof why, "needs the pinlab_grab module (%s: %s): %s", PINLAB_GRAB_DEV, strerror(errno), what);
	ktap_skip_all(why);
}

RT void kmod_open(void)
{
	kmod_fd = open(PINLAB_GRAB_DEV, O_RDWR | O_CLOEXEC);
	if (kmod_fd < 0)
		bail("open " PINLAB_GRAB_DEV);
}

RT void kmod_close(void)
{
	close(kmod_fd);
	kmod_fd = -1;
}

RT void kmod_ioctl(unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(kmod_fd, cmd, arg) < 0)
		bail(what);
}

/* get_user_pages() / pin_user_pages() (or _fast) of the buffer's first page into the module's slot. */
RT void op_kgrab(int slot, struct buf *b, unsigned mode, unsigned flags, char *reg)
{
	struct pinlab_grab g = {(uintptr_t)b->addr, (unsigned)slot, mode, flags, 0};
	kmod_ioctl(PINLAB_IOC_GRAB, &g, "PINLAB_IOC_GRAB");
	if (g.ret < 0)
		set_val(reg, errname(-g.ret));
	else
		snprintf(reg, VLEN, "%d", g.ret);
}

/* put_page(), unpin_user_page(s), unpin_user_pages_dirty_lock(), vfree() or __free_page(). */
RT void op_krelease(int slot, unsigned how)
{
	struct pinlab_release r = {(unsigned)slot, how, 0};
	kmod_ioctl(PINLAB_IOC_RELEASE, &r, "PINLAB_IOC_RELEASE");
}

/* Read the held page through the kernel's own mapping (kmap_local_page): what a device would see. */
RT void op_kpeek(int slot, char *reg)
{
	struct pinlab_peek p = {(uintptr_t)scratch, (unsigned)slot, PG, 0};
	kmod_ioctl(PINLAB_IOC_PEEK, &p, "PINLAB_IOC_PEEK");
	set_val(reg, p.ret == 0 ? decode(scratch) : "none");
}

RT void op_kalloc(int slot, unsigned kind)
{
	struct pinlab_kalloc k = {(unsigned)slot, kind, 0};
	kmod_ioctl(PINLAB_IOC_KALLOC, &k, "PINLAB_IOC_KALLOC");
	if (k.ret < 0) {
		errno = -k.ret;
		bail("kernel allocation");
	}
}

/* O_DIRECT through a kernel iterator over the slot's memory: a kiocb to the file's ->read_iter. */
RT void op_kdio(struct file *f, int n, int slot, unsigned flags, char *reg, int io)
{
	struct pinlab_kdio d = {(long long)n * PG, f->dfd, (unsigned)slot, (unsigned)io, flags, 0};
	kmod_ioctl(PINLAB_IOC_KDIO, &d, "PINLAB_IOC_KDIO");
	if (d.ret == -PINLAB_EIOCBQUEUED)
		set_val(reg, "EIOCBQUEUED");
	else
		set_res(reg, d.ret);
}

/* Reap an async kernel O_DIRECT: nothing to reap (it failed at submission) leaves its result. */
RT void op_kawait(int io, char *reg)
{
	struct pinlab_kawait w = {(unsigned)io, 0};
	kmod_ioctl(PINLAB_IOC_KAWAIT, &w, "PINLAB_IOC_KAWAIT");
	if (w.ret != -ENOENT)
		set_res(reg, w.ret);
}
`}`;
