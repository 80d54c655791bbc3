/**
 * The fixed part of an exported program for I/O and processes: O_DIRECT (sync with pread/preadv, async
 * with the aio system calls), buffered file I/O, pipes and vmsplice, io_uring through its system calls
 * (rings mapped by hand, registered buffers, READ_FIXED/WRITE_FIXED), the kernel references a process
 * can hold (`get`: vmsplice into a private pipe; `pin`: an io_uring buffer registration), fork, exit and
 * wait. Reads the generated NACT, NIO, NHANDLE, NSLOT, NPIPE, errname() and proc_main().
 */
export const C_IO = String.raw`
RTV char scratch[PG] __attribute__((aligned(PG)));

/* ---- O_DIRECT and buffered file I/O ---- */

RTV aio_context_t aioctx[NACT + 1];
RTV struct iocb iocbs[NIO + 1];
RTV struct iovec iovs[NIO + 1];
RTV long long aio_res[NIO + 1];
RTV int aio_done[NIO + 1];

RT void set_res(char *slot, long long r)
{
	if (r >= 0)
		set_count(slot, (long)r);
	else
		set_val(slot, errname((int)-r));
}

RT void op_dio(int a, struct file *f, int n, struct buf *b, int write, int vec, int async, char *slot, int io)
{
	off_t off = (off_t)n * PG;
	struct iovec v = {b->addr, PG};
	if (!async) {
		ssize_t r = vec ? (write ? pwritev(f->dfd, &v, 1, off) : preadv(f->dfd, &v, 1, off))
				: (write ? pwrite(f->dfd, b->addr, PG, off) : pread(f->dfd, b->addr, PG, off));
		set_res(slot, r < 0 ? -errno : r);
		return;
	}
	if (!aioctx[a] && syscall(__NR_io_setup, 8, &aioctx[a]) < 0)
		bail("io_setup");
	struct iocb *cb = &iocbs[io];
	memset(cb, 0, sizeof *cb);
	cb->aio_data = (uint64_t)io;
	cb->aio_fildes = (uint32_t)f->dfd;
	cb->aio_offset = off;
	if (vec) {
		iovs[io] = v;
		cb->aio_lio_opcode = write ? IOCB_CMD_PWRITEV : IOCB_CMD_PREADV;
		cb->aio_buf = (uint64_t)(uintptr_t)&iovs[io];
		cb->aio_nbytes = 1;
	} else {
		cb->aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
		cb->aio_buf = (uint64_t)(uintptr_t)b->addr;
		cb->aio_nbytes = PG;
	}
	struct iocb *cbs[1] = {cb};
	aio_done[io] = 0;
	set_val(slot, syscall(__NR_io_submit, aioctx[a], 1, cbs) == 1 ? "EIOCBQUEUED" : errname(errno));
}

RT void op_await(int a, int io, char *slot)
{
	struct io_event ev;
	while (!aio_done[io]) {
		if (syscall(__NR_io_getevents, aioctx[a], 1, 1, &ev, NULL) != 1) {
			set_val(slot, errname(errno));
			return;
		}
		aio_done[ev.data] = 1;
		aio_res[ev.data] = ev.res;
	}
	set_res(slot, aio_res[io]);
}

RT void op_pread(struct file *f, int n, char *slot)
{
	ssize_t r = pread(f->fd, scratch, PG, (off_t)n * (off_t)file_pg(f));
	if (r < 0)
		set_val(slot, errname(errno));
	else {
		memset(scratch + r, 0, PG - (size_t)r);
		set_val(slot, decode(scratch));
	}
}

RT void op_pwrite(struct file *f, int n, int tok)
{
	fill(scratch, PG, tok);
	if (pwrite(f->fd, scratch, PG, (off_t)n * (off_t)file_pg(f)) < 0)
		bail("pwrite");
}

RT void op_truncate(struct file *f, int pages)
{
	if (ftruncate(f->fd, (off_t)pages * (off_t)file_pg(f)) < 0)
		bail("ftruncate");
}

/* ---- pipes ---- */

RTV int pipes[NPIPE + 1][2];

/* The scenario's pipes; reads do not block (the model's pipe-read of an empty pipe is EAGAIN). */
RT void make_pipes(void)
{
#if NPIPE > 0
	for (int i = 0; i < NPIPE; i++) {
		if (pipe2(pipes[i], 0) < 0)
			bail("pipe2");
		fcntl(pipes[i][0], F_SETFL, O_NONBLOCK);
	}
#endif
}

RT void op_vmsplice(struct buf *b, int p)
{
	struct iovec v = {b->addr, PG};
	if (b->mapped)
		vmsplice(pipes[p][1], &v, 1, 0);
}

RT void op_pipe_read(int p, char *slot)
{
	ssize_t r = read(pipes[p][0], scratch, PG);
	if (r < 0)
		set_val(slot, errname(errno));
	else if (r == PG)
		set_val(slot, decode(scratch));
	else
		set_count(slot, (long)r);
}

RT void op_splice(int p, struct file *f, int n)
{
	loff_t off = (loff_t)n * PG;
	splice(pipes[p][0], NULL, f->fd, &off, PG, 0);
}

/* ---- io_uring, through its system calls ---- */

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq, *cq;
	size_t sq_len, cq_len, sqes_len;
	char *buf;
};

RT int ring_init(struct ring *r)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	memset(r, 0, sizeof *r);
	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sq = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED || r->sqes == MAP_FAILED)
		bail("mmap io_uring rings");
	char *sq = r->sq, *cq = r->cq;
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

RT void ring_close(struct ring *r)
{
	if (r->fd <= 0)
		return;
	munmap(r->sq, r->sq_len);
	munmap(r->cq, r->cq_len);
	munmap(r->sqes, r->sqes_len);
	close(r->fd);
	r->fd = 0;
}

/* One fixed-buffer read or write, submitted and reaped: the CQE's result. */
RT int ring_rw(struct ring *r, int opcode, int fd, unsigned len, unsigned long long off)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	memset(sqe, 0, sizeof *sqe);
	sqe->opcode = (uint8_t)opcode;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)r->buf;
	sqe->len = len;
	sqe->off = off;
	sqe->buf_index = 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return -errno;
	unsigned head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	while (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		if (syscall(__NR_io_uring_enter, r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			return -errno;
	int res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/* IORING_REGISTER_BUFFERS: pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) on the buffer's first page. */
RT int ring_register(struct ring *r, struct buf *b)
{
	struct iovec v = {b->addr, PG};
	if (r->fd <= 0) {
		int e = ring_init(r);
		if (e < 0)
			return e;
	}
	r->buf = b->addr;
	return syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_BUFFERS, &v, 1) < 0 ? -errno : 0;
}

RTV struct ring rings[NSLOT + 1];

RT void op_uring_register(struct buf *b, int s, char *slot)
{
	int r = ring_register(&rings[s], b);
	set_val(slot, r < 0 ? errname(-r) : "0");
}

RT void op_uring_rw(int s, int write, struct file *f, int n, char *slot)
{
	if (rings[s].fd <= 0) {
		set_val(slot, errname(EFAULT));
		return;
	}
	int op = write ? IORING_OP_WRITE_FIXED : IORING_OP_READ_FIXED;
	set_res(slot, ring_rw(&rings[s], op, f->dfd, PG, (unsigned long long)n * PG));
}

RT void op_uring_unregister(int s)
{
	if (rings[s].fd > 0)
		syscall(__NR_io_uring_register, rings[s].fd, IORING_UNREGISTER_BUFFERS, NULL, 0);
}

/* ---- references a process can hold: get (vmsplice into a private pipe), pin (io_uring) ---- */

struct handle {
	int pipe[2];
	struct ring ring;
	int held;
};
RTV struct handle handles[NHANDLE + 1];

/* vmsplice(): iov_iter_get_pages2(), a read-only FOLL_GET reference the pipe holds until it is drained. */
RT void op_get(struct handle *h, struct buf *b, char *slot)
{
	struct iovec v = {b->addr, PG};
	if (pipe2(h->pipe, 0) < 0)
		bail("pipe2");
	ssize_t r = vmsplice(h->pipe[1], &v, 1, 0);
	h->held = r == PG;
	set_res(slot, r < 0 ? -errno : r);
}

RT void op_put(struct handle *h)
{
	if (!h->held)
		return;
	close(h->pipe[0]);
	close(h->pipe[1]);
	h->held = 0;
}

RT void op_pin(struct handle *h, struct buf *b, char *slot)
{
	int r = ring_register(&h->ring, b);
	h->held = r == 0;
	set_val(slot, r < 0 ? errname(-r) : "1");
}

RT void op_unpin(struct handle *h)
{
	if (!h->held)
		return;
	ring_close(&h->ring);
	h->held = 0;
}

/* Read the page through the pipe's reference, leaving it there: tee() into a scratch pipe. */
RT void op_peek_get(struct handle *h, char *slot)
{
	int sc[2];
	if (!h->held || pipe2(sc, 0) < 0) {
		set_val(slot, "none");
		return;
	}
	ssize_t r = tee(h->pipe[0], sc[1], PG, 0) == PG ? read(sc[0], scratch, PG) : -1;
	set_val(slot, r == PG ? decode(scratch) : "none");
	close(sc[0]);
	close(sc[1]);
}

/* Read the pinned page as the device would: WRITE_FIXED from it into a memfd, then read that. */
RT void op_peek_pin(struct handle *h, char *slot)
{
	int fd = memfd_create("peek", 0);
	int r = h->held && fd >= 0 ? ring_rw(&h->ring, IORING_OP_WRITE_FIXED, fd, PG, 0) : -1;
	set_val(slot, r == PG && pread(fd, scratch, PG, 0) == PG ? decode(scratch) : "none");
	if (fd >= 0)
		close(fd);
}

/* ---- processes ---- */

RTV pid_t pids[NPROC + 1];

RT void do_fork(int child)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		bail("fork");
	if (pid == 0) {
		alarm(10);
		proc_main(child);
		_exit(0);
	}
	pids[child] = pid;
}

RT void do_wait(int child)
{
	wait_at_least(&S->exited[child], 1, 5000);
	if (pids[child] > 0)
		waitpid(pids[child], NULL, 0);
}

/* The process leaves: its buffers read as nothing, the others stop waiting for it. */
RT void do_exit(int p)
{
	observe(p, 1);
	__atomic_store_n(&S->done[p], 1, __ATOMIC_RELEASE);
	__atomic_store_n(&S->exited[p], 1, __ATOMIC_RELEASE);
	_exit(0);
}

static volatile int go;

RT void *thread_main(void *arg)
{
	while (!go)
		sched_yield();
	run_actor((int)(intptr_t)arg);
	return NULL;
}

/* Start the process's threads together and wait for them. */
RT void run_threads(int p)
{
	pthread_t t[NACT + 1];
	int n[NACT + 1] = {0};
	go = 0;
	for (int a = 0; a < NACT; a++)
		if (actor_proc[a] == p)
			n[a] = pthread_create(&t[a], NULL, thread_main, (void *)(intptr_t)a) == 0;
	go = 1;
	for (int a = 0; a < NACT; a++)
		if (n[a])
			pthread_join(t[a], NULL);
}

/* A forked process: its threads, then the end of the run, then what its buffers hold. */
static void proc_main(int p)
{
	run_threads(p);
	process_done(p);
	observe(p, 0);
	__atomic_store_n(&S->exited[p], 1, __ATOMIC_RELEASE);
}
`;
