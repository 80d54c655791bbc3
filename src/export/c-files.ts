/**
 * The fixed part of an exported program that makes the scenario's files: a temporary directory on a
 * filesystem that supports O_DIRECT (or a loop-mounted ext4 image, as root), a loop device per block
 * device file (or the one pinlab attached and names in PINLAB_BDEV_<i>), memfds for shmem and hugetlbfs files, and the final read of what a file holds on disk.
 * Reads the generated `files[]` table (NFILE entries).
 */
export const C_FILES = String.raw`
static char top[512], dir[560], image[600], mnt[560];
static int mounted;

RT size_t file_pg(const struct file *f)
{
	return (size_t)PG << f->order;
}

/* Whether O_DIRECT works in d: tmpfs has it from v6.6, ext4 and xfs always. */
RT int odirect_ok(const char *d)
{
	char path[600];
	snprintf(path, sizeof path, "%s/probe", d);
	int fd = open(path, O_RDWR | O_CREAT | O_DIRECT, 0600);
	if (fd < 0)
		return 0;
	void *b;
	int ok = posix_memalign(&b, PG, PG) == 0;
	if (ok) {
		memset(b, 0, PG);
		ok = pwrite(fd, b, PG, 0) == PG;
		free(b);
	}
	close(fd);
	unlink(path);
	return ok;
}

/* A free loop device over backing (autoclear: it goes away with its last user); its O_RDWR fd or -1. */
RT int loop_attach(const char *backing, char *dev, size_t devlen)
{
	int ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0)
		return -1;
	int bfd = open(backing, O_RDWR);
	for (int tries = 0; bfd >= 0 && tries < 10; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			break;
		snprintf(dev, devlen, "/dev/loop%d", n);
		int fd = open(dev, O_RDWR);
		if (fd < 0)
			break;
		if (ioctl(fd, LOOP_SET_FD, bfd) == 0) {
			struct loop_info64 info;
			memset(&info, 0, sizeof info);
			info.lo_flags = LO_FLAGS_AUTOCLEAR;
			ioctl(fd, LOOP_SET_STATUS64, &info);
			close(bfd);
			close(ctl);
			return fd;
		}
		close(fd); /* another user took it first: ask again */
	}
	if (bfd >= 0)
		close(bfd);
	close(ctl);
	return -1;
}

RT int make_sized(const char *path, off_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0)
		return -1;
	close(fd);
	return 0;
}

static int loop_keep = -1;

/* The temp dir does not support O_DIRECT: make, loop-mount and use a small ext4 image (root only). */
RT void mount_ext4(void)
{
	if (geteuid() != 0)
		ktap_skip_all("the temporary directory does not support O_DIRECT, and mounting an ext4 image needs root");
	snprintf(image, sizeof image, "%s/ext4.img", top);
	snprintf(mnt, sizeof mnt, "%s/mnt", top);
	if (make_sized(image, 64 << 20) < 0 || mkdir(mnt, 0700) < 0)
		bail("ext4 image");
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execlp("mkfs.ext4", "mkfs.ext4", "-q", "-F", image, (char *)NULL);
		execl("/sbin/mkfs.ext4", "mkfs.ext4", "-q", "-F", image, (char *)NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		ktap_skip_all("the temporary directory does not support O_DIRECT, and mkfs.ext4 failed or is missing");
	char dev[64];
	loop_keep = loop_attach(image, dev, sizeof dev);
	if (loop_keep < 0 || mount(dev, mnt, "ext4", 0, "") < 0)
		ktap_skip_all("the temporary directory does not support O_DIRECT, and loop-mounting ext4 failed");
	mounted = 1;
	snprintf(dir, sizeof dir, "%s", mnt);
}

RT void setup_dir(int need_odirect)
{
	const char *base = getenv("TMPDIR");
	snprintf(top, sizeof top, "%s/pinlab.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(top))
		bail("mkdtemp");
	snprintf(dir, sizeof dir, "%s", top);
	if (need_odirect && !odirect_ok(dir))
		mount_ext4();
}

/* The loop device pinlab attached (as root, before starting the program unprivileged), if any. */
RT int given_bdev(int i, struct file *f)
{
	char var[32];
	snprintf(var, sizeof var, "PINLAB_BDEV_%d", i);
	const char *dev = getenv(var);
	if (!dev || !*dev)
		return 0;
	snprintf(f->loopdev, sizeof f->loopdev, "%s", dev);
	f->path[0] = 0;
	f->fd = open(f->loopdev, O_RDWR);
	f->dfd = open(f->loopdev, O_RDWR | O_DIRECT);
	if (f->fd < 0 || f->dfd < 0)
		ktap_skip_all("cannot open the loop device pinlab attached for a block-device file");
	return 1;
}

/* Each block-device file is a loop device over a file in the directory (root only), or pinlab's. */
RT void setup_bdevs(void)
{
	for (int i = 0; i < NFILE; i++) {
		struct file *f = &files[i];
		if (f->kind != F_BDEV || given_bdev(i, f))
			continue;
		if (geteuid() != 0)
			ktap_skip_all("a block-device file needs a loop device, and that needs root");
		snprintf(f->path, sizeof f->path, "%s/%s.bdev", dir, f->name);
		if (make_sized(f->path, (off_t)f->npages * PG) < 0)
			bail("loop backing file");
		f->fd = loop_attach(f->path, f->loopdev, sizeof f->loopdev);
		f->dfd = f->fd < 0 ? -1 : open(f->loopdev, O_RDWR | O_DIRECT);
		if (f->fd < 0 || f->dfd < 0)
			ktap_skip_all("no free loop device for a block-device file");
	}
}

RT void write_pages(int fd, const struct file *f)
{
	char *b;
	if (posix_memalign((void **)&b, PG, PG) != 0)
		bail("posix_memalign");
	for (int p = 0; p < f->npages; p++) {
		fill(b, PG, f->toks[p]);
		if (pwrite(fd, b, PG, (off_t)p * PG) != PG)
			bail("write file");
	}
	free(b);
}

/* Fresh files for one run, their page caches empty as the model starts. */
RT void make_files(int run)
{
	for (int i = 0; i < NFILE; i++) {
		struct file *f = &files[i];
		switch (f->kind) {
		case F_REG:
			snprintf(f->path, sizeof f->path, "%s/%s.%d", dir, f->name, run);
			f->fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
			f->dfd = open(f->path, O_RDWR | O_DIRECT);
			if (f->fd < 0 || f->dfd < 0)
				bail("create file");
			write_pages(f->dfd, f); /* straight to disk: the page cache stays empty */
			break;
		case F_SHMEM:
			f->fd = memfd_create(f->name, 0);
			if (f->fd < 0)
				bail("memfd_create");
			write_pages(f->fd, f);
			break;
		case F_HUGETLB: {
			f->fd = memfd_create(f->name, MFD_HUGETLB | ((unsigned)(f->order + 12) << MFD_HUGE_SHIFT));
			size_t len = file_pg(f) * f->npages;
			if (f->fd < 0 || ftruncate(f->fd, (off_t)len) < 0)
				bail("memfd_create MFD_HUGETLB");
			char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
			if (p == MAP_FAILED)
				bail("mmap hugetlbfs file");
			for (int pg = 0; pg < f->npages; pg++)
				fill(p + pg * file_pg(f), PG, f->toks[pg]);
			munmap(p, len);
			break;
		}
		case F_BDEV:
			write_pages(f->dfd, f);
			/* BLKFLSBUF needs CAP_SYS_ADMIN; without it, drop the clean cached pages. */
			if (ioctl(f->fd, BLKFLSBUF, 0) < 0)
				posix_fadvise(f->fd, 0, 0, POSIX_FADV_DONTNEED);
			break;
		}
	}
}

/* What page n of file i holds on disk at the end: written back first (the scenario's flusher). */
RT void read_disk(int slot, int i, int n, int settle)
{
	struct file *f = &files[i];
	if (f->kind == F_SHMEM || f->kind == F_HUGETLB) {
		set_val(S->disk[slot], n < f->npages ? tokens[f->toks[n]] : NULLV);
		return;
	}
	if (settle)
		usleep(5000); /* deferred bio_dirty_fn work re-dirties pages just after a read returns */
	fsync(f->fd);
	char *b;
	if (posix_memalign((void **)&b, PG, PG) != 0)
		bail("posix_memalign");
	ssize_t r = pread(f->dfd, b, PG, (off_t)n * PG);
	set_val(S->disk[slot], r == PG ? decode(b) : NULLV);
	free(b);
}

RT void remove_files(void)
{
	for (int i = 0; i < NFILE; i++) {
		struct file *f = &files[i];
		if (f->kind == F_BDEV)
			continue;
		close(f->fd);
		if (f->kind == F_REG) {
			close(f->dfd);
			unlink(f->path);
		}
	}
}

/* Whatever a killed run left behind. */
RT void remove_leftovers(const char *d)
{
	DIR *dp = opendir(d);
	char path[900];
	for (struct dirent *e; dp && (e = readdir(dp));) {
		if (e->d_type != DT_REG)
			continue;
		snprintf(path, sizeof path, "%s/%s", d, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
}

RT void remove_dir(void)
{
	for (int i = 0; i < NFILE; i++)
		if (files[i].kind == F_BDEV && files[i].fd >= 0) {
			close(files[i].fd);
			close(files[i].dfd);
			if (files[i].path[0])
				unlink(files[i].path);
		}
	remove_leftovers(dir);
	if (mounted) {
		umount2(mnt, MNT_DETACH);
		rmdir(mnt);
		unlink(image);
	}
	if (loop_keep >= 0)
		close(loop_keep);
	remove_leftovers(top);
	rmdir(top);
}

static void prepare(void)
{
	setup_dir(NEED_ODIRECT);
	setup_bdevs();
}

static void cleanup(void)
{
	remove_dir();
}
`;
