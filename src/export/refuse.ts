import type { DioPath } from '../model/include/blk_types.js';
import type { Op } from '../model/ops/index.js';
import type { Program } from '../model/engine/program.js';
import { quote, type Scenario } from '../scenario/index.js';
import { opSyntax } from '../scenario/ops.js';
import { VLEN } from './c-types.js';
import { KERNEL_ONLY, kernelActorNeed, MODULE_ITERS } from './kernel-actor.js';
import { propExprs } from '../check/condition.js';
import { allOps, layout } from './layout.js';

/**
 * What a process cannot do on a real kernel, per operation: the scenario that needs it is not exported.
 * The table, by operation:
 *
 * | operation                               | exported as                                              |
 * | --------------------------------------- | -------------------------------------------------------- |
 * | write, read, touch                      | CPU stores and loads (touch: an atomic add of 0)         |
 * | fork, exit (forked process), wait       | fork(), _exit(), waitpid()                               |
 * | munmap, mprotect, madvise, split-pmd    | the system calls (split-pmd: mprotect one subpage, back) |
 * | get BUF [fast]                          | vmsplice() into a private pipe: a read-only FOLL_GET     |
 * | pin BUF write [longterm] [fast]         | IORING_REGISTER_BUFFERS: FOLL_WRITE, FOLL_LONGTERM pin   |
 * | put, unpin, peek                        | close the pipe / unregister; tee() / WRITE_FIXED to read |
 * | other get / pin flag sets               | the pinlab_grab module: get/pin_user_pages(_fast)        |
 * | kalloc, dio kvec / bvec                 | the pinlab_grab module: vmalloc/alloc_page, a kiocb      |
 * | put, unpin [dirty], peek of those       | the pinlab_grab module: put_page, unpin_user_pages...    |
 * | dio blkdev / iomap, ubuf / iovec        | O_DIRECT pread/preadv (async: io_submit, io_getevents)   |
 * | pread, pwrite, fsync, truncate          | the system calls on the buffered file descriptor         |
 * | vmsplice, pipe-read, splice             | the system calls                                         |
 * | uring register / read-fixed / unregister| one io_uring instance per slot                           |
 * | dio xarray / folioq / ...               | refused: only kernel callers build those                 |
 * | dio blkdev-multi / legacy (vfat)         | refused: the kernel picks its DIO path, not the process  |
 * | reclaim                                 | refused: no system call reclaims one page at a point     |
 * | try-get                                 | refused: the kernel's speculative references are its own |
 * | send, recv, errqueue                    | refused: the peer and the NIC are another machine        |
 * | loop / lio, ublk                        | refused: only the driver owns the request's pages        |
 * | dedupe, reflink, fallocate              | refused: not exported yet (no ioctl / fallocate in C)    |
 * | dio nfs / ceph (a file on nfs or ceph)  | refused: needs a server and a mount                      |
 * | sg-io                                   | refused: needs a SCSI device (the loop device has none)  |
 *
 * What needs the module (kernelActorNeed) is exported all the same: the program looks for
 * /dev/pinlab_grab before its first run and skips, with the reason, where it is missing.
 * Data tokens longer than the program's value slots, or with a NUL byte, are refused as well.
 */
export interface Refusal {
  /** Where in the scenario: `thread T0: kalloc page as p`, `file f`, `condition x`. */
  readonly where: string;
  readonly reason: string;
}

/**
 * The path a one-page scenario cannot make the running kernel take. Scenario validation already refused
 * a path that is not the file's filesystem's (src/model/fs/dio-path.ts), so `blkdev` names a block
 * device and `iomap` an ext4, xfs or btrfs file here.
 */
function pathRefusal(path: DioPath): string | null {
  switch (path) {
    case 'blkdev-multi':
      return 'the kernel takes the multi-bio __blkdev_direct_IO path only for I/O over BIO_MAX_VECS pages: a one-page scenario cannot force it';
    case 'legacy':
      return "fs/direct-io.c serves vfat (and ext4 before v5.5, btrfs before v5.9): the exported program's regular files are on the temporary directory's filesystem or an ext4 image, whose direct I/O is iomap";
    case 'blkdev':
    case 'iomap':
      return null;
    case 'blkdev-split':
      return "the kernel splits a bio by the device's limits (chunk_sectors, max_sectors): the loop device the program sets up splits no bio inside a page";
    case 'nfs':
    case 'ceph':
      return `O_DIRECT on ${path} needs a server and a mount: the exported program makes local files only`;
  }
}

/** Why neither a process nor the pinlab_grab module can run this op, or null when one can. */
export function opRefusal(op: Op, initialProcess: boolean): string | null {
  switch (op.op) {
    case 'ublk':
      return `a ublk request's pages (io_buffer_register_bvec()): ${KERNEL_ONLY}`;
    case 'reclaim':
      return 'no system call makes reclaim take one page at a chosen point (MADV_PAGEOUT and fadvise skip dirty, mapped or referenced pages)';
    case 'try-get':
      return 'a speculative reference (page-cache lookup, GUP-fast, compaction) the kernel takes on its own: a process cannot place one at a chosen point';
    case 'exit':
      return initialProcess
        ? 'the initial process runs the repetitions: only a forked process can exit'
        : null;
    case 'dio':
      if (
        op.iter !== 'syscall' &&
        op.iter !== 'ubuf' &&
        op.iter !== 'iovec' &&
        !MODULE_ITERS.includes(op.iter)
      )
        return `ITER_${op.iter.toUpperCase()}: ${KERNEL_ONLY}`;
      return pathRefusal(op.path);
    case 'uring-rw':
      return pathRefusal(op.path);
    case 'sg-io':
      return "SG_IO needs a SCSI device (sg or bsg): the exported program's block device is a loop device, which takes no SCSI commands";
    case 'kalloc':
    case 'gup':
    case 'write':
    case 'read':
    case 'touch':
    case 'fork':
    case 'wait':
    case 'munmap':
    case 'mprotect':
    case 'madvise':
    case 'split-pmd':
    case 'release':
    case 'peek':
    case 'await':
    case 'pread':
    case 'pwrite':
    case 'fsync':
    case 'truncate':
    case 'vmsplice':
    case 'pipe-read':
    case 'splice':
    case 'uring-register':
    case 'uring-unregister':
      return null;
    case 'send':
    case 'recv':
    case 'errqueue':
      return 'the peer is another machine: over loopback the kernel copies zerocopy fragments before delivery (skb_orphan_frags_rx), so one machine cannot see what a NIC read from the page';
    case 'kernel-aio':
      return `the loop driver's or the SCSI target's backing I/O over its own request's pages: ${KERNEL_ONLY}`;
    case 'remap':
    case 'fallocate':
      return 'not exported yet: the C harness has no FIDEDUPERANGE, FICLONERANGE or fallocate statement';
  }
}

/** Every op of the scenario that needs the pinlab_grab module, with why; empty when none does. */
export function kernelActorNeeds(s: Scenario): Refusal[] {
  const { program } = s;
  return allOps(program).flatMap(({ actor, op }) => {
    const reason = kernelActorNeed(op);
    const where = `thread ${program.actors[actor]?.name ?? '?'}: ${opText(program, op)}`;
    return reason === null ? [] : [{ where, reason }];
  });
}

function opText(program: Program, op: Op): string {
  return opSyntax(op).print(op, { process: (i) => program.processes[i]?.name ?? '?', str: quote });
}

/** Every reason the scenario cannot run as a real process; empty when it can be exported. */
export function refusals(s: Scenario): Refusal[] {
  const { program } = s;
  const out: Refusal[] = [];
  const initial = program.processes.findIndex((p) => !p.forked);
  program.processes.forEach((p, i) => {
    if (!p.forked && i !== initial)
      out.push({
        where: `process ${p.name}`,
        reason: 'the exported program starts one process; every other one must be created by a fork',
      });
    for (const m of p.mappings)
      if (m.backing.type === 'file' && m.page.kind !== 'base') {
        const file = program.files[m.backing.file];
        if (m.page.kind !== 'hugetlb' || file?.fs !== 'hugetlbfs')
          out.push({
            where: `mapping ${m.name}`,
            reason: 'large folios in a file mapping are not set up by export-c',
          });
      }
  });
  for (const f of program.files)
    if (f.fs === 'nfs' || f.fs === 'ceph')
      out.push({
        where: `file ${f.name}`,
        reason: `a file on ${f.fs} needs a server and a mount: the exported program makes local files only`,
      });
  for (const f of program.files)
    if (f.integrity === true || f.stableWrites === true)
      out.push({
        where: `file ${f.name}`,
        reason: 'needs a device that checks DIF/DIX guard tags (stable pages): a loop device has none',
      });
  const flusher = program.agents?.includes('flusher') ?? false;
  s.conditions.forEach((c) => {
    if (!flusher && propExprs(c.prop).some((e) => e.kind === 'disk'))
      out.push({
        where: `condition ${c.name}`,
        reason:
          'reads a disk page without `agent flusher`: the real flusher writes back when it likes, and an O_DIRECT read writes dirty pages back first',
      });
  });
  for (const token of layout(s).tokens) {
    const bytes = new TextEncoder().encode(token);
    if (bytes.length >= VLEN || bytes.includes(0))
      out.push({
        where: `data ${quote(token)}`,
        reason: `the program keeps data as C strings: at most ${VLEN - 1} bytes (UTF-8), none of them NUL`,
      });
  }
  const check = (actor: number, op: Op, where: string): void => {
    const process = program.actors[actor]?.process ?? initial;
    const reason = opRefusal(op, process === initial);
    if (reason !== null) out.push({ where: `${where}: ${opText(program, op)}`, reason });
  };
  program.setup.forEach(([actor, op]) => check(actor, op, `setup ${program.actors[actor]?.name ?? '?'}`));
  program.actors.forEach((a, actor) => a.ops.forEach((op) => check(actor, op, `thread ${a.name}`)));
  return out;
}
