/**
 * The fixed part of an exported program for the scenario's buffers: mmap of every kind (anonymous or
 * file, private or shared, base pages, THP aligned to its size with MADV_HUGEPAGE, hugetlb), the CPU
 * accesses, munmap, mprotect, madvise, a PMD split, and the page-kind check. A buffer's content is its
 * first 4 KiB page: the page the scenario's I/O moves. Reads the generated `bufs[]` table (NBUF).
 */
export const C_MEMORY = String.raw`
RT void map_buf(struct buf *b)
{
	int flags = b->shared ? MAP_SHARED : MAP_PRIVATE, fd = -1;
	off_t off = 0;
	b->len = (size_t)PG << b->order;
	size_t span = b->kind == P_THP ? 2 * b->len : b->len;
	if (b->file >= 0) {
		fd = files[b->file].fd;
		off = (off_t)b->pgoff * (off_t)file_pg(&files[b->file]);
	} else {
		flags |= MAP_ANONYMOUS;
		if (b->kind == P_HUGETLB)
			flags |= MAP_HUGETLB | ((b->order + 12) << MAP_HUGE_SHIFT);
	}
	char *p = mmap(NULL, span, b->prot, flags, fd, off);
	if (p == MAP_FAILED)
		bail("mmap");
	if (b->kind == P_THP) {
		/* A THP needs a naturally aligned range: map twice the size and trim. */
		char *a = (char *)(((uintptr_t)p + b->len - 1) & ~(uintptr_t)(b->len - 1));
		if (a > p)
			munmap(p, (size_t)(a - p));
		if (a + b->len < p + span)
			munmap(a + b->len, (size_t)(p + span - a - b->len));
		p = a;
		madvise(p, b->len, MADV_HUGEPAGE);
	}
	b->addr = p;
	b->mapped = 1;
}

/* Ask pinlab's root-owned helper (PINLAB_KPAGE_FD) about a page of this process: 1, 0 or -1. */
RT int ask_kpage(int fd, const char *addr)
{
	uint64_t a = (uintptr_t)addr;
	int8_t r = -1;
	if (send(fd, &a, sizeof a, MSG_NOSIGNAL) != sizeof a || recv(fd, &r, 1, 0) != 1)
		return -1;
	return r;
}

/* Whether the page at addr is part of a THP (1), not (0), or unknown (-1: not root, not present). */
RT int is_thp(const char *addr)
{
	const char *helper = getenv("PINLAB_KPAGE_FD");
	if (helper && *helper)
		return ask_kpage(atoi(helper), addr);
	int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
	uint64_t e = 0, fl = 0;
	int r = -1;
	if (pm >= 0 && kf >= 0 && pread(pm, &e, 8, (off_t)((uintptr_t)addr / PG) * 8) == 8 && (e >> 63)) {
		uint64_t pfn = e & ((1ULL << 55) - 1);
		if (pfn && pread(kf, &fl, 8, (off_t)(pfn * 8)) == 8)
			r = (int)((fl >> 22) & 1); /* KPF_THP */
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return r;
}

/* A run whose THP buffer got small pages (memory too fragmented) does not run the scenario: not counted. */
RT void verify_thp(void)
{
	for (int i = 0; i < NBUF; i++)
		if (bufs[i].kind == P_THP && is_thp(bufs[i].addr) == 0)
			mark_invalid("the kernel gave small pages where the scenario asks for a THP");
}

RT int readable(const struct buf *b)
{
	return b->mapped && (b->prot & PROT_READ);
}

RT int writable(const struct buf *b)
{
	return b->mapped && (b->prot & PROT_WRITE);
}

static __thread sigjmp_buf fault_at;

static void on_fault(int sig)
{
	siglongjmp(fault_at, sig);
}

enum { ACC_STORE, ACC_LOAD, ACC_TOUCH };

/*
 * One CPU access under a guard for signal sig: it stores tok, loads into slot, or touches. SIGSEGV
 * guards a store the mapping's protection forbids, as the model's write makes it: it lands only where
 * the kernel left the PTE writable anyway (hugetlb FOLL_FORCE COW before v6.0). SIGBUS guards an
 * access the model may find past the file's end (a fault past i_size). Returns 0, or sig when the
 * access raised it and did not happen.
 */
RT int guarded(int sig, int how, char *p, int tok, char *slot)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, &old);
	int got = sigsetjmp(fault_at, 1);
	if (!got) {
		if (how == ACC_STORE)
			fill(p, PG, tok);
		else if (how == ACC_LOAD)
			set_val(slot, decode(p));
		else
			__atomic_fetch_add((int *)p, 0, __ATOMIC_RELAXED);
	}
	sigaction(sig, &old, NULL);
	return got;
}

/* A store; bus: the model may find the page past the file's end (SIGBUS, nothing stored). */
RT void op_write(struct buf *b, int tok, int bus)
{
	if (writable(b) && bus)
		guarded(SIGBUS, ACC_STORE, b->addr, tok, NULL);
	else if (writable(b))
		fill(b->addr, PG, tok);
	else if (b->mapped)
		guarded(SIGSEGV, ACC_STORE, b->addr, tok, NULL);
}

/* A load into slot: SIGSEGV where the protection forbids it, SIGBUS past the file's end (bus). */
RT void op_read(struct buf *b, char *slot, int bus)
{
	if (!readable(b))
		set_val(slot, "SIGSEGV");
	else if (bus && guarded(SIGBUS, ACC_LOAD, b->addr, 0, slot))
		set_val(slot, "SIGBUS");
	else if (!bus)
		set_val(slot, decode(b->addr));
}

/* A store that faults the page writable without changing a byte, even while a DMA writes it. */
RT void op_touch(struct buf *b, int bus)
{
	if (writable(b) && bus)
		guarded(SIGBUS, ACC_TOUCH, b->addr, 0, NULL);
	else if (writable(b))
		__atomic_fetch_add((int *)b->addr, 0, __ATOMIC_RELAXED);
}

RT void op_munmap(struct buf *b)
{
	if (b->mapped && munmap(b->addr, b->len) == 0)
		b->mapped = 0;
}

RT void op_mprotect(struct buf *b, int prot)
{
	if (b->mapped && mprotect(b->addr, b->len, prot) == 0)
		b->prot = prot;
}

RT void op_madvise(struct buf *b, int advice)
{
	if (b->mapped)
		madvise(b->addr, b->len, advice);
}

/* cow.c's way to PTE-map a THP: mprotect one subpage and back. */
RT void op_split_pmd(struct buf *b)
{
	if (!b->mapped)
		return;
	mprotect(b->addr, PG, PROT_READ);
	mprotect(b->addr, PG, b->prot);
}

/* What the process reads from the buffer at the end, without changing it ("SIGBUS" past a file's end). */
RT void mem_value(char *slot, struct buf *b)
{
	if (!b->mapped) {
		set_val(slot, NULLV);
		return;
	}
	if (!(b->prot & PROT_READ))
		mprotect(b->addr, b->len, b->prot | PROT_READ);
	if (guarded(SIGBUS, ACC_LOAD, b->addr, 0, slot))
		set_val(slot, "SIGBUS");
}

/* The conditions' P:buf observations of process p at the end (nothing when it has exited). */
RT void observe(int p, int gone)
{
	for (int i = 0; i < NMEM; i++) {
		if (mem_proc[i] != p)
			continue;
		if (gone)
			set_val(S->mem[i], NULLV);
		else
			mem_value(S->mem[i], &bufs[mem_buf[i]]);
	}
}
`;
