/**
 * The fixed part of an exported program that looks for the kernel features a scenario needs before any
 * run: THP sizes, free hugetlb pages, io_uring, aio, swap. A missing one is a KTAP skip with its reason.
 */
export const C_PROBE = String.raw`
RT int read_file(const char *path, char *out, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, out, len - 1);
	if (fd >= 0)
		close(fd);
	out[n > 0 ? n : 0] = 0;
	return n > 0 ? 0 : -1;
}

/* THP of 4 KiB << order is enabled (always or madvise, per size from v6.8, else the global knob). */
RT int thp_ok(int order)
{
	char path[128], v[256];
	snprintf(path, sizeof path, "/sys/kernel/mm/transparent_hugepage/hugepages-%dkB/enabled", 4 << order);
	if (read_file(path, v, sizeof v) == 0 && !strstr(v, "[inherit]"))
		return !strstr(v, "[never]");
	if (read_file("/sys/kernel/mm/transparent_hugepage/enabled", v, sizeof v) < 0)
		return 0;
	return !strstr(v, "[never]") && (order == 9 || read_file(path, v, sizeof v) == 0);
}

RT long hugetlb_free(int order)
{
	char path[128], v[64];
	snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-%dkB/free_hugepages", 4 << order);
	return read_file(path, v, sizeof v) == 0 ? atol(v) : 0;
}

RT void need_hugetlb(int order, long pages)
{
	long free_pages = hugetlb_free(order);
	char why[200];
	if (free_pages >= pages)
		return;
	snprintf(why, sizeof why, "needs %ld free hugetlb pages of %d kB, the kernel has %ld (vm.nr_hugepages)", pages,
		 4 << order, free_pages);
	ktap_skip_all(why);
}

RT void need_thp(int order)
{
	char why[200];
	if (thp_ok(order))
		return;
	snprintf(why, sizeof why, "needs THP of %d kB, which the kernel has off or lacks", 4 << order);
	ktap_skip_all(why);
}

RT void need_uring(void)
{
	struct ring r;
	char why[200];
	int e = ring_init(&r);
	if (e == 0) {
		ring_close(&r);
		return;
	}
	snprintf(why, sizeof why, "needs io_uring: io_uring_setup() fails with %s", strerror(-e));
	ktap_skip_all(why);
}

RT void need_aio(void)
{
	aio_context_t ctx = 0;
	char why[200];
	if (syscall(__NR_io_setup, 1, &ctx) == 0) {
		syscall(__NR_io_destroy, ctx);
		return;
	}
	snprintf(why, sizeof why, "needs aio: io_setup() fails with %s", strerror(errno));
	ktap_skip_all(why);
}

/* MADV_PAGEOUT of anonymous memory does nothing without swap. */
RT void need_swap(void)
{
	char v[4096];
	if (read_file("/proc/swaps", v, sizeof v) < 0 || !strchr(v, '\n') || !strchr(strchr(v, '\n') + 1, '/'))
		ktap_skip_all("needs swap for MADV_PAGEOUT of anonymous memory, and no swap is active");
}
`;
