import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The root-owned helper step of `pinlab real` for THP checks: a fixed C program (no scenario data in
 * it) that pinlab compiles and runs as root. It opens /proc/kpageflags, starts the exported program as
 * UID:GID with one end of a socket pair at fd 3 (PINLAB_KPAGE_FD), and answers each request, an
 * address, with KPF_THP of that page in the asking process: the process comes from the kernel
 * (SO_PASSCRED), never from the request, so a program learns one bit about its own memory only. It
 * reads /proc/PID/pagemap as root because the PFNs there are shown only to a CAP_SYS_ADMIN opener.
 */
export const KPAGE_HELPER_C = String.raw`#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* KPF_THP of the page at addr in process pid: 1, 0, or -1 (not present, no PFN). */
static int thp(pid_t pid, uint64_t addr, int kf)
{
	char path[64];
	uint64_t e = 0, fl = 0;
	int r = -1;
	snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
	int pm = open(path, O_RDONLY | O_CLOEXEC);
	if (pm >= 0 && pread(pm, &e, 8, (off_t)(addr / 4096) * 8) == 8 && (e >> 63)) {
		uint64_t pfn = e & ((1ULL << 55) - 1);
		if (pfn && pread(kf, &fl, 8, (off_t)(pfn * 8)) == 8)
			r = (int)((fl >> 22) & 1);
	}
	if (pm >= 0)
		close(pm);
	return r;
}

int main(int argc, char **argv)
{
	int sv[2], one = 1;
	if (argc < 4) {
		fprintf(stderr, "usage: %s UID GID PROGRAM [ARGS...]\n", argv[0]);
		return 2;
	}
	uid_t uid = (uid_t)atol(argv[1]);
	gid_t gid = (gid_t)atol(argv[2]);
	int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (kf < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0) {
		perror("pinlab kpage helper");
		return 2;
	}
	pid_t child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		close(sv[0]);
		close(kf);
		int fd = sv[1] == 3 ? fcntl(3, F_SETFD, 0) : dup2(sv[1], 3);
		if (fd < 0 || setgroups(0, NULL) || setgid(gid) || setuid(uid) || setuid(0) == 0)
			_exit(126);
		setenv("PINLAB_KPAGE_FD", "3", 1);
		execv(argv[3], argv + 3);
		_exit(127);
	}
	close(sv[1]);
	for (;;) {
		uint64_t addr = 0;
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(struct ucred))];
		} c;
		struct iovec v = {&addr, sizeof addr};
		struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1, .msg_control = &c, .msg_controllen = sizeof c};
		ssize_t n = recvmsg(sv[0], &m, 0);
		if (n <= 0)
			break;
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		int8_t ans = -1;
		if (n == sizeof addr && h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(h), sizeof u);
			ans = (int8_t)thp(u.pid, addr, kf);
		}
		if (send(sv[0], &ans, 1, MSG_NOSIGNAL) != 1)
			break;
	}
	int st = 0;
	waitpid(child, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
`;

/** Compile the helper into `dir` (root-only: mode 0700); its path, or why not. */
export function buildKpageHelper(dir: string): string | { why: string } {
  const src = join(dir, 'kpage-helper.c');
  const exe = join(dir, 'kpage-helper');
  writeFileSync(src, KPAGE_HELPER_C, { mode: 0o600 });
  const r = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', exe, src], { encoding: 'utf8' });
  if (r.status !== 0)
    return { why: `cc kpage-helper.c failed: ${(r.stderr || String(r.error)).split('\n')[0] ?? ''}` };
  chmodSync(exe, 0o700);
  return exe;
}
