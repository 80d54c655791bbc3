import type { Advice } from '../model/mm/madvise.js';
import type { Op } from '../model/ops/index.js';
import type { Program } from '../model/engine/program.js';
import { FOLL_FORCE, FOLL_LONGTERM, FOLL_NOFAULT, FOLL_WRITE } from '../model/include/foll.js';
import type { ReleaseOp } from '../model/ops/gup.js';
import { kernelActorNeed } from './kernel-actor.js';
import { allOps, type Handle, type Layout } from './layout.js';

/** What an op's C statement needs: the layout's slots and the actor that runs it. */
export interface OpContext {
  readonly program: Program;
  readonly layout: Layout;
  readonly actor: number;
}

const MADV: Readonly<Record<Advice, string>> = {
  dontneed: 'MADV_DONTNEED',
  dontfork: 'MADV_DONTFORK',
  dofork: 'MADV_DOFORK',
  wipeonfork: 'MADV_WIPEONFORK',
  keeponfork: 'MADV_KEEPONFORK',
  pageout: 'MADV_PAGEOUT',
  collapse: 'MADV_COLLAPSE',
};

function prot(read: boolean, write: boolean): string {
  const bits = [...(read ? ['PROT_READ'] : []), ...(write ? ['PROT_WRITE'] : [])];
  return bits.length === 0 ? 'PROT_NONE' : bits.join(' | ');
}

function slot(m: ReadonlyMap<string, number>, key: string, what: string): number {
  const i = m.get(key);
  if (i === undefined) throw new Error(`export-c: no ${what} slot for ${key}`);
  return i;
}

const RELEASE: Readonly<Record<ReleaseOp['how'], string>> = {
  put: 'PINLAB_PUT',
  unpin: 'PINLAB_UNPIN',
  'unpin-dirty': 'PINLAB_UNPIN_DIRTY',
};

/** The model's public FOLL_* flags as the module's names (the same modern numbering). */
const FOLL_NAMES: readonly (readonly [number, string])[] = [
  [FOLL_WRITE, 'PINLAB_FOLL_WRITE'],
  [FOLL_FORCE, 'PINLAB_FOLL_FORCE'],
  [FOLL_NOFAULT, 'PINLAB_FOLL_NOFAULT'],
  [FOLL_LONGTERM, 'PINLAB_FOLL_LONGTERM'],
];

function follBits(flags: number): string {
  const names = FOLL_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return names.join(' | ') || '0';
}

/**
 * Whether a CPU access to the buffer may fault past its file's end, where the model gives SIGBUS
 * (filemap_fault, shmem_fault, hugetlb_no_page): it maps a file page at or past the file's declared
 * pages, or a file the program truncates. The exported access then runs under a SIGBUS guard, so a
 * real run reads "SIGBUS" where the model does instead of dying.
 */
export function mayFaultPastEof(program: Program, buf: string): boolean {
  const truncated = new Set(allOps(program).flatMap(({ op }) => (op.op === 'truncate' ? [op.file] : [])));
  return program.processes.some((p) =>
    p.mappings.some((m) => {
      if (m.name !== buf || m.backing.type !== 'file') return false;
      const file = program.files[m.backing.file];
      return file === undefined || m.backing.pgoff >= file.pages.length || truncated.has(file.name);
    }),
  );
}

/** The C statement that runs one op (a refused op has none: callers export only what refusals() allows). */
export function opStatement(op: Op, c: OpContext): string {
  const { layout: l, program, actor } = c;
  const reg = (name: string): string => `S->reg[${slot(l.regs, `${actor}:${name}`, 'register')}]`;
  const buf = (name: string): string => `&bufs[${slot(l.bufs, name, 'buffer')}]`;
  const file = (name: string): string => `&files[${program.files.findIndex((f) => f.name === name)}]`;
  const fd = (name: string): string => `files[${program.files.findIndex((f) => f.name === name)}].fd`;
  const tok = (data: string): number => l.tokens.indexOf(data);
  const pipe = (name: string): number => (program.pipes ?? []).indexOf(name);
  const handle = (name: string): { ref: string; index: number; mode: Handle['mode'] } => {
    const h = l.handles.get(`${actor}:${name}`);
    if (h === undefined) throw new Error(`export-c: no handle ${name}`);
    return { ref: `&handles[${h.index}]`, index: h.index, mode: h.mode };
  };
  const io = (name: string): number => slot(l.ios, `${actor}:${name}`, 'async I/O');
  const bus = (name: string): number => (mayFaultPastEof(program, name) ? 1 : 0);
  switch (op.op) {
    case 'write':
      return `op_write(${buf(op.buf)}, ${tok(op.data)}, ${bus(op.buf)});`;
    case 'read':
      return `op_read(${buf(op.buf)}, ${reg(op.reg)}, ${bus(op.buf)});`;
    case 'touch':
      return `op_touch(${buf(op.buf)}, ${bus(op.buf)});`;
    case 'fork':
      return `do_fork(${op.child});`;
    case 'exit':
      return `do_exit(${program.actors[actor]?.process ?? 0});`;
    case 'wait':
      return `do_wait(${op.child});`;
    case 'munmap':
      return `op_munmap(${buf(op.buf)});`;
    case 'mprotect':
      return `op_mprotect(${buf(op.buf)}, ${prot(op.read, op.write)});`;
    case 'madvise':
      return `op_madvise(${buf(op.buf)}, ${MADV[op.advice]});`;
    case 'split-pmd':
      return `op_split_pmd(${buf(op.buf)});`;
    case 'gup': {
      const h = handle(op.as);
      if (h.mode !== 'kernel') return `op_${op.mode}(${h.ref}, ${buf(op.buf)}, ${reg(op.as)});`;
      const mode = [
        op.mode === 'pin' ? 'PINLAB_MODE_PIN' : 'PINLAB_MODE_GET',
        ...(op.fast ? ['PINLAB_MODE_FAST'] : []),
      ];
      return `op_kgrab(${h.index}, ${buf(op.buf)}, ${mode.join(' | ')}, ${follBits(op.flags)}, ${reg(op.as)});`;
    }
    case 'release': {
      const h = handle(op.handle);
      if (h.mode === 'kernel') return `op_krelease(${h.index}, ${RELEASE[op.how]});`;
      return `op_${op.how === 'put' ? 'put' : 'unpin'}(${h.ref});`;
    }
    case 'peek': {
      const h = handle(op.handle);
      if (h.mode === 'kernel') return `op_kpeek(${h.index}, ${reg(op.reg)});`;
      return `op_peek_${h.mode}(${h.ref}, ${reg(op.reg)});`;
    }
    case 'kalloc':
      return `op_kalloc(${handle(op.as).index}, ${op.kind === 'vmalloc' ? 'PINLAB_VMALLOC' : 'PINLAB_ALLOC_PAGE'});`;
    case 'dio': {
      if (kernelActorNeed(op) !== null) {
        const flags = [
          ...(op.rw === 'write' ? ['PINLAB_KDIO_WRITE'] : []),
          ...(op.iter === 'bvec' ? ['PINLAB_KDIO_BVEC'] : []),
          ...(op.async ? ['PINLAB_KDIO_ASYNC'] : []),
        ];
        const ioSlot = op.async ? io(op.as) : 0;
        return `op_kdio(${file(op.file)}, ${op.index}, ${handle(op.buf).index}, ${flags.join(' | ') || '0'}, ${reg(op.as)}, ${ioSlot});`;
      }
      // No type named: pread/pwrite (io_submit's PREAD/PWRITE), which build what the running kernel builds.
      const flags = [op.rw === 'write' ? 1 : 0, op.iter === 'iovec' ? 1 : 0, op.async ? 1 : 0];
      const ioSlot = op.async ? io(op.as) : 0;
      return `op_dio(${actor}, ${file(op.file)}, ${op.index}, ${buf(op.buf)}, ${flags.join(', ')}, ${reg(op.as)}, ${ioSlot});`;
    }
    case 'await':
      return l.kernelIos.has(`${actor}:${op.as}`)
        ? `op_kawait(${io(op.as)}, ${reg(op.as)});`
        : `op_await(${actor}, ${io(op.as)}, ${reg(op.as)});`;
    case 'pread':
      return `op_pread(${file(op.file)}, ${op.index}, ${reg(op.reg)});`;
    case 'pwrite':
      return `op_pwrite(${file(op.file)}, ${op.index}, ${tok(op.data)});`;
    case 'fsync':
      return `fsync(${fd(op.file)});`;
    case 'truncate':
      return `op_truncate(${file(op.file)}, ${op.pages});`;
    case 'vmsplice':
      return `op_vmsplice(${buf(op.buf)}, ${pipe(op.pipe)});`;
    case 'pipe-read':
      return `op_pipe_read(${pipe(op.pipe)}, ${reg(op.reg)});`;
    case 'splice':
      return `op_splice(${pipe(op.pipe)}, ${file(op.file)}, ${op.index});`;
    case 'uring-register':
      return `op_uring_register(${buf(op.buf)}, ${op.index}, ${reg(op.reg)});`;
    case 'uring-rw':
      return `op_uring_rw(${op.index}, ${op.rw === 'write' ? 1 : 0}, ${file(op.file)}, ${op.fileIndex}, ${reg(op.as)});`;
    case 'uring-unregister':
      return `op_uring_unregister(${op.index});`;
    case 'reclaim':
    case 'try-get':
    case 'ublk':
    case 'send':
    case 'recv':
    case 'errqueue':
    case 'kernel-aio':
    case 'remap':
    case 'fallocate':
    case 'sg-io':
      throw new Error(`export-c: '${op.op}' is refused and has no C statement`);
  }
}
