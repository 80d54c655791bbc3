/** The headers of an exported program: libc, raw system calls and kernel UAPI headers only (no liburing). */
export const C_INCLUDES = String.raw`#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/loop.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 4U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif
`;

/** The size of the program's value slots: a data token is a C string of at most VLEN - 1 bytes. */
export const VLEN = 32;

/**
 * The types the generated tables fill in (placed between the generated counts and the tables), and the
 * generated functions the fixed parts call.
 */
export const C_TYPES = String.raw`
#define PG 4096
#define VLEN ${VLEN}
#define NULLV "\001"
#define RT static __attribute__((unused))
#define RTV static __attribute__((unused))

/* A gate: in schedule s, op k of actor a starts once actor b has started (or finished) n ops. */
struct gate {
	int s, a, k, b, fin, n;
};

enum { F_REG, F_SHMEM, F_HUGETLB, F_BDEV };

struct file {
	const char *name;
	int kind, npages, order;
	const int *toks;
	int fd, dfd;
	char path[600];
	char loopdev[64];
};

enum { P_BASE, P_THP, P_HUGETLB };

struct buf {
	const char *name;
	int kind, order, file, pgoff, shared, prot;
	char *addr;
	size_t len;
	int mapped;
};

static const char *errname(int e);
static void run_once(int run);
static int cond_holds(int c);
static void probe(void);
static void prepare(void);
static void cleanup(void);
static void proc_main(int p);
static void run_actor(int a);
static void observe(int p, int gone);
`;
