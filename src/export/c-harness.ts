/**
 * The fixed part of an exported program that runs the scenario many times and counts outcomes: the state
 * shared by every process of a run, data tokens as byte patterns, op gates (the widened interleaving),
 * the run loop and its KTAP report. The generated part (c-program.ts) defines the tables it reads:
 * NACT, NPROC, NREG, NMEM, NDISK, NCOND, NSCHED, NGATE, tokens[], gates[], cond_names[], run_once(),
 * cond_holds().
 */
export const C_HARNESS = String.raw`

/* What every process of a run sees: op progress for the gates, registers and final observations. */
struct shared {
	int started[NACT + 1], finished[NACT + 1];
	int done[NPROC + 1], exited[NPROC + 1];
	int invalid, gate_timeouts;
	char invalid_why[128];
	char reg[NREG + 1][VLEN], mem[NMEM + 1][VLEN], disk[NDISK + 1][VLEN];
};
static struct shared *S;
static int sched;
static unsigned seeds[NACT + 1];

RT void bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(3);
}

RT void set_val(char *slot, const char *v)
{
	snprintf(slot, VLEN, "%s", v);
}

RT void set_count(char *slot, long bytes)
{
	if (bytes % PG == 0)
		snprintf(slot, VLEN, "%ld", bytes / PG);
	else
		snprintf(slot, VLEN, "short:%ld", bytes);
}

/* A token's bytes: "0" is the zero page; any other token repeats its characters over the page. */
RT void fill(char *p, size_t len, int tok)
{
	const char *t = tokens[tok];
	size_t n = strlen(t);
	if (strcmp(t, "0") == 0) {
		memset(p, 0, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		p[i] = t[i % n];
}

/* Which token a page holds ("?" for anything else: a torn or foreign page). */
RT const char *decode(const char *p)
{
	static char pat[PG];
	for (int t = 0; t < NTOK; t++) {
		fill(pat, PG, t);
		if (memcmp(pat, p, PG) == 0)
			return tokens[t];
	}
	return "?";
}

RT double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Spin until *p >= v, or give up after ms milliseconds (the real kernel may order things differently). */
RT int wait_at_least(int *p, int v, double ms)
{
	double end = now_ms() + ms;
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < v) {
		if (now_ms() > end)
			return -1;
		sched_yield();
	}
	return 0;
}

RT void op_begin(int a, int k)
{
	for (int i = 0; i < NGATE; i++) {
		const struct gate *g = &gates[i];
		if (g->s != sched || g->a != a || g->k != k)
			continue;
		int *p = g->fin ? &S->finished[g->b] : &S->started[g->b];
		if (wait_at_least(p, g->n, 200) < 0)
			__atomic_fetch_add(&S->gate_timeouts, 1, __ATOMIC_RELAXED);
	}
	if (sched == 0) {
		/* The free schedule: a little random delay before each op shifts the threads against each other. */
		unsigned n = rand_r(&seeds[a]) % 20000;
		for (volatile unsigned i = 0; i < n; i++)
			;
	}
	__atomic_store_n(&S->started[a], k + 1, __ATOMIC_RELEASE);
}

RT void op_end(int a, int k)
{
	__atomic_store_n(&S->finished[a], k + 1, __ATOMIC_RELEASE);
}

RT void mark_invalid(const char *why)
{
	S->invalid = 1;
	snprintf(S->invalid_why, sizeof S->invalid_why, "%s", why);
}

/* Every process of the run has finished its threads (or exited): the run is quiescent. */
RT void process_done(int p)
{
	__atomic_store_n(&S->done[p], 1, __ATOMIC_RELEASE);
	for (int q = 0; q < NPROC; q++)
		wait_at_least(&S->done[q], 1, 5000);
}

static struct shared last;

/* What the last counted run ended with, as the conditions name it: a reader's first clue. */
RT void print_last(void)
{
	printf("# last counted run:");
	for (int i = 0; i < NREG; i++)
		printf(" %s=%s", reg_names[i], strcmp(last.reg[i], NULLV) ? last.reg[i] : "(none)");
	for (int i = 0; i < NMEM; i++)
		printf(" %s=%s", mem_names[i], strcmp(last.mem[i], NULLV) ? last.mem[i] : "(none)");
	for (int i = 0; i < NDISK; i++)
		printf(" %s=%s", disk_names[i], strcmp(last.disk[i], NULLV) ? last.disk[i] : "(none)");
	printf("\n");
}

RT void ktap_skip_all(const char *why)
{
	printf("TAP version 13\n1..%d\n", NCOND);
	for (int c = 0; c < NCOND; c++)
		printf("ok %d %s # SKIP %s\n", c + 1, cond_names[c], why);
	printf("# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:%d error:0\n", NCOND);
	fflush(stdout);
	exit(0);
}


int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : DEFAULT_RUNS;
	if (runs <= 0) {
		fprintf(stderr, "usage: %s [RUNS]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	probe();
	S = mmap(NULL, sizeof *S, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (S == MAP_FAILED)
		bail("mmap shared");
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prepare();
	int seen[NCOND + 1] = {0}, counted = 0, invalid = 0, lost = 0, timeouts = 0;
	char why[128] = "";
	for (int run = 0; run < runs; run++) {
		memset(S, 0, sizeof *S);
		for (int i = 0; i < NREG; i++)
			set_val(S->reg[i], NULLV);
		for (int i = 0; i < NMEM; i++)
			set_val(S->mem[i], NULLV);
		for (int i = 0; i < NDISK; i++)
			set_val(S->disk[i], NULLV);
		sched = run % NSCHED;
		for (int a = 0; a < NACT; a++)
			seeds[a] = (unsigned)(run * 7919 + a * 104729 + 1);
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			bail("fork");
		if (pid == 0) {
			alarm(10);
			run_once(run);
			_exit(0);
		}
		int st, runst = 0;
		/* The run's own forked processes are reparented here (subreaper): reap them all. */
		for (pid_t w; (w = wait(&st)) > 0;)
			if (w == pid)
				runst = st;
		if (WIFEXITED(runst) && WEXITSTATUS(runst) == 3) {
			cleanup();
			return 1;
		}
		int ok = WIFEXITED(runst) && WEXITSTATUS(runst) == 0;
		timeouts += S->gate_timeouts;
		if (!ok) {
			lost++;
			continue;
		}
		if (S->invalid) {
			invalid++;
			snprintf(why, sizeof why, "%s", S->invalid_why);
			continue;
		}
		counted++;
		for (int c = 0; c < NCOND; c++)
			seen[c] += cond_holds(c);
		memcpy(&last, S, sizeof last);
	}
	cleanup();
	printf("TAP version 13\n1..%d\n", NCOND);
	printf("# %s: %d runs, %d counted, %d schedules\n", SCENARIO, runs, counted, NSCHED);
	if (lost > 0)
		printf("# %d runs did not finish (killed or crashed)\n", lost);
	if (invalid > 0)
		printf("# %d runs not counted: %s\n", invalid, why);
	if (timeouts > 0)
		printf("# %d gate waits timed out (the kernel ordered the ops differently)\n", timeouts);
	if (counted > 0)
		print_last();
	if (counted == 0) {
		printf("Bail out! no run could be counted\n");
		return 1;
	}
	int pass = 0;
	for (int c = 0; c < NCOND; c++) {
		int good = cond_forall[c] ? seen[c] == counted : seen[c] == 0;
		pass += good;
		printf("%s %d %s # seen in %d/%d runs\n", good ? "ok" : "not ok", c + 1, cond_names[c], seen[c],
		       counted);
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", pass, NCOND - pass);
	return 0;
}
`;
