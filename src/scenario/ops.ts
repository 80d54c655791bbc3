import { FOLL_FORCE, FOLL_LONGTERM, FOLL_NOFAULT, FOLL_WRITE } from '../model/include/foll.js';
import type { DioPath } from '../model/include/blk_types.js';
import type { IterType } from '../model/include/uio.js';
import type { Advice } from '../model/mm/madvise.js';
import type { Op } from '../model/ops/index.js';
import type { Pos } from './errors.js';
import { MAX_PAGE_INDEX } from './pages.js';

/**
 * The operation syntax, one entry per model operation (as herd's kernel.def): the words that start it,
 * how to read it from a line and how to write it back. The table is keyed by the model's `Op['op']`,
 * so an operation added to src/model/ops/index.ts does not compile here until it has an entry.
 */

/** A name an operation refers to, for validation: buffers, handles, registers, processes. */
export type OpRef =
  | { readonly kind: 'buf'; readonly name: string; readonly at: Pos }
  | { readonly kind: 'handle-use'; readonly name: string; readonly at: Pos }
  | { readonly kind: 'handle-def'; readonly name: string; readonly at: Pos }
  | { readonly kind: 'reg-def'; readonly name: string; readonly at: Pos }
  | { readonly kind: 'fork'; readonly process: number; readonly at: Pos }
  /** A forked process a `wait` waits for. */
  | { readonly kind: 'wait'; readonly process: number; readonly at: Pos }
  | { readonly kind: 'pipe'; readonly name: string; readonly at: Pos }
  /** An asynchronous I/O an `await` can reap (its result register). */
  | { readonly kind: 'io-def'; readonly name: string; readonly at: Pos }
  | { readonly kind: 'io-use'; readonly name: string; readonly at: Pos };

/** What an entry reads its operands with. Each reader reports its own error and returns a placeholder. */
export interface OpReader {
  /** The next word, without taking it (undefined at the end of the line or before a non-word). */
  peek(): string | undefined;
  /** Take the next word if it is one of `words`. */
  accept<W extends string>(words: readonly W[]): W | null;
  /** Take a word that must be `word` (`as`) or a symbol (`->`, `=`). */
  expect(word: string): void;
  /** A buffer: a mapping name in the thread's process. */
  buf(): string;
  /** A handle an earlier operation of this thread created. */
  handleUse(): string;
  /** A handle this operation creates (also a register when `reg`). */
  handleDef(reg: boolean): string;
  /** A register this operation sets. */
  regDef(): string;
  /** A declared process (by name); its index. `fork` (the default) creates it, `wait` waits for it. */
  process(use?: 'fork' | 'wait'): number;
  /** A declared file, by name. */
  file(): string;
  /** A page of a declared file: `f[0]`. */
  filePage(): { file: string; index: number };
  /** An asynchronous I/O this operation starts, reaped later by name. */
  ioDef(): string;
  /** An asynchronous I/O an earlier operation of this thread started. */
  ioUse(): string;
  /** A declared pipe (by name). */
  pipe(): string;
  /** A string literal: data. */
  data(): string;
  /** A non-negative integer, at most `max`. */
  number(what: string, max: number): number;
  /** One of a fixed set of words. */
  choice<W extends string>(what: string, words: readonly W[]): W;
}

/** What an entry needs to print names and strings. */
export interface OpPrinter {
  process(index: number): string;
  str(value: string): string;
}

export interface OpSyntax<O extends Op> {
  /** The words that start this operation: one word, or two (`uring register`). */
  readonly words: readonly string[];
  /** The forms, for messages and the README. */
  readonly forms: readonly string[];
  read(r: OpReader, word: string): O;
  print(op: O, p: OpPrinter): string;
}

type SyntaxTable = { readonly [K in Op['op']]: OpSyntax<Extract<Op, { op: K }>> };

const ADVICE_SET: Readonly<Record<Advice, true>> = {
  dontneed: true,
  dontfork: true,
  dofork: true,
  wipeonfork: true,
  keeponfork: true,
  pageout: true,
  collapse: true,
};
export const ADVICE = Object.keys(ADVICE_SET) as Advice[];

/** Protection words, as `mprotect` and `map` spell them. */
export const PROTS = ['rw', 'r', 'w', 'none'] as const;
export type Prot = (typeof PROTS)[number];

export function protOf(p: Prot): { read: boolean; write: boolean } {
  return { read: p === 'r' || p === 'rw', write: p === 'w' || p === 'rw' };
}

export function protWord(read: boolean, write: boolean): Prot {
  return read ? (write ? 'rw' : 'r') : write ? 'w' : 'none';
}

/** GUP flag words, in printing order: the caller's public FOLL_* flags. */
export const GUP_FLAGS: readonly (readonly [string, number])[] = [
  ['write', FOLL_WRITE],
  ['longterm', FOLL_LONGTERM],
  ['force', FOLL_FORCE],
  ['nofault', FOLL_NOFAULT],
];
const GUP_WORDS = ['fast', ...GUP_FLAGS.map(([w]) => w), 'flags'];
/** `flags=N`: the model's flags are 31-bit integers (JavaScript's bitwise operators are signed). */
const MAX_FLAGS = 2 ** 31 - 1;
/** io_uring's registered-buffer slots (IORING_MAX_REG_BUFFERS is 1 << 14). */
const MAX_SLOT = 2 ** 14 - 1;

const RELEASE_HOW = { unpin: 'unpin', put: 'put' } as const;

const DIO_PATH_SET: Readonly<Record<DioPath, true>> = {
  blkdev: true,
  'blkdev-multi': true,
  iomap: true,
  legacy: true,
  nfs: true,
  ceph: true,
  'blkdev-split': true,
};
/** The direct-I/O paths: block/fops.c, __blkdev_direct_IO, iomap_dio_rw, fs/direct-io.c, fs/nfs/direct.c, fs/ceph/file.c, block/fops.c on a device that splits the bio. */
export const DIO_PATHS = Object.keys(DIO_PATH_SET) as DioPath[];

const ITER_SET: Readonly<Record<IterType, true>> = {
  ubuf: true,
  iovec: true,
  kvec: true,
  bvec: true,
  xarray: true,
  folioq: true,
  discard: true,
};
/**
 * iov_iter types; `ubuf` and `iovec` name a user buffer, the kernel types a held handle. Naming none
 * means the iterator the system call builds on the release (`syscall`: ITER_IOVEC before v6.0).
 */
export const ITER_TYPES = Object.keys(ITER_SET) as IterType[];
const KERNEL_ITERS: readonly IterType[] = ['kvec', 'bvec', 'xarray', 'folioq'];

export const OP_SYNTAX: SyntaxTable = {
  write: {
    words: ['write'],
    forms: ['write BUF "DATA"'],
    read: (r) => ({ op: 'write', buf: r.buf(), data: r.data() }),
    print: (op, p) => `write ${op.buf} ${p.str(op.data)}`,
  },
  read: {
    words: ['read'],
    forms: ['read BUF -> REG'],
    read(r) {
      const buf = r.buf();
      r.expect('->');
      return { op: 'read', buf, reg: r.regDef() };
    },
    print: (op) => `read ${op.buf} -> ${op.reg}`,
  },
  fork: {
    words: ['fork'],
    forms: ['fork PROCESS'],
    read: (r) => ({ op: 'fork', child: r.process() }),
    print: (op, p) => `fork ${p.process(op.child)}`,
  },
  exit: {
    words: ['exit'],
    forms: ['exit'],
    read: () => ({ op: 'exit' }),
    print: () => 'exit',
  },
  'try-get': {
    words: ['try-get'],
    forms: ['try-get'],
    read: () => ({ op: 'try-get' }),
    print: () => 'try-get',
  },
  wait: {
    words: ['wait'],
    forms: ['wait PROCESS'],
    read: (r) => ({ op: 'wait', child: r.process('wait') }),
    print: (op, p) => `wait ${p.process(op.child)}`,
  },
  munmap: {
    words: ['munmap'],
    forms: ['munmap BUF'],
    read: (r) => ({ op: 'munmap', buf: r.buf() }),
    print: (op) => `munmap ${op.buf}`,
  },
  mprotect: {
    words: ['mprotect'],
    forms: [`mprotect BUF ${PROTS.join('|')}`],
    read(r) {
      const buf = r.buf();
      return { op: 'mprotect', buf, ...protOf(r.choice('protection', PROTS)) };
    },
    print: (op) => `mprotect ${op.buf} ${protWord(op.read, op.write)}`,
  },
  madvise: {
    words: ['madvise'],
    forms: [`madvise BUF ${ADVICE.join('|')}`],
    read(r) {
      const buf = r.buf();
      return { op: 'madvise', buf, advice: r.choice('advice', ADVICE) };
    },
    print: (op) => `madvise ${op.buf} ${op.advice}`,
  },
  'split-pmd': {
    words: ['split-pmd'],
    forms: ['split-pmd BUF'],
    read: (r) => ({ op: 'split-pmd', buf: r.buf() }),
    print: (op) => `split-pmd ${op.buf}`,
  },
  gup: {
    words: ['get', 'pin'],
    forms: [
      `get BUF [fast] [${GUP_FLAGS.map(([w]) => w).join('] [')}] as HANDLE`,
      `pin BUF [fast] [${GUP_FLAGS.map(([w]) => w).join('] [')}] as HANDLE`,
    ],
    read(r, word) {
      const buf = r.buf();
      let fast = false;
      let flags = 0;
      for (let w = r.accept(GUP_WORDS); w !== null; w = r.accept(GUP_WORDS)) {
        if (w === 'fast') fast = true;
        else if (w === 'flags') {
          r.expect('=');
          flags |= r.number('FOLL_* flag bits', MAX_FLAGS);
        } else flags |= GUP_FLAGS.find(([f]) => f === w)?.[1] ?? 0;
      }
      r.expect('as');
      return { op: 'gup', buf, mode: word === 'pin' ? 'pin' : 'get', flags, fast, as: r.handleDef(true) };
    },
    print(op) {
      const words = [op.mode, op.buf];
      if (op.fast) words.push('fast');
      let rest = op.flags;
      for (const [w, bit] of GUP_FLAGS)
        if (op.flags & bit) {
          words.push(w);
          rest &= ~bit;
        }
      if (rest !== 0) words.push(`flags=${rest}`);
      return [...words, 'as', op.as].join(' ');
    },
  },
  release: {
    words: ['unpin', 'put'],
    forms: ['unpin HANDLE [dirty]', 'put HANDLE'],
    read(r, word) {
      const handle = r.handleUse();
      if (word === RELEASE_HOW.put) return { op: 'release', handle, how: 'put' };
      return { op: 'release', handle, how: r.accept(['dirty']) ? 'unpin-dirty' : 'unpin' };
    },
    print: (op) =>
      op.how === 'put' ? `put ${op.handle}` : `unpin ${op.handle}${op.how === 'unpin-dirty' ? ' dirty' : ''}`,
  },
  dio: {
    words: ['dio'],
    forms: [
      `dio read|write ${DIO_PATHS.join('|')} [async] [${ITER_TYPES.join('|')}] FILE[PAGE] into|from BUF as REG`,
    ],
    read(r) {
      const rw = r.choice('direction', ['read', 'write'] as const);
      const path = r.choice('direct-I/O path', DIO_PATHS);
      const async = r.accept(['async']) !== null;
      const iter = r.accept(ITER_TYPES) ?? 'syscall';
      const { file, index } = r.filePage();
      let buf = '';
      if (iter !== 'discard') {
        r.expect(rw === 'read' ? 'into' : 'from');
        buf = iter !== 'syscall' && KERNEL_ITERS.includes(iter) ? r.handleUse() : r.buf();
      }
      r.expect('as');
      const as = async ? r.ioDef() : r.regDef();
      return { op: 'dio', rw, path, async, file, index, iter, buf, as };
    },
    print(op) {
      const words = ['dio', op.rw, op.path];
      if (op.async) words.push('async');
      if (op.iter !== 'syscall') words.push(op.iter);
      words.push(`${op.file}[${op.index}]`);
      if (op.iter !== 'discard') words.push(op.rw === 'read' ? 'into' : 'from', op.buf);
      return [...words, 'as', op.as].join(' ');
    },
  },
  await: {
    words: ['await'],
    forms: ['await REG'],
    read: (r) => ({ op: 'await', as: r.ioUse() }),
    print: (op) => `await ${op.as}`,
  },
  pread: {
    words: ['pread'],
    forms: ['pread FILE[PAGE] -> REG'],
    read(r) {
      const { file, index } = r.filePage();
      r.expect('->');
      return { op: 'pread', file, index, reg: r.regDef() };
    },
    print: (op) => `pread ${op.file}[${op.index}] -> ${op.reg}`,
  },
  pwrite: {
    words: ['pwrite'],
    forms: ['pwrite FILE[PAGE] "DATA"'],
    read(r) {
      const { file, index } = r.filePage();
      return { op: 'pwrite', file, index, data: r.data() };
    },
    print: (op, p) => `pwrite ${op.file}[${op.index}] ${p.str(op.data)}`,
  },
  fsync: {
    words: ['fsync'],
    forms: ['fsync FILE'],
    read: (r) => ({ op: 'fsync', file: r.file() }),
    print: (op) => `fsync ${op.file}`,
  },
  reclaim: {
    words: ['reclaim'],
    forms: ['reclaim FILE[PAGE]'],
    read: (r) => ({ op: 'reclaim', ...r.filePage() }),
    print: (op) => `reclaim ${op.file}[${op.index}]`,
  },
  truncate: {
    words: ['truncate'],
    forms: ['truncate FILE PAGES'],
    read: (r) => ({ op: 'truncate', file: r.file(), pages: r.number('a size in pages', MAX_PAGE_INDEX + 1) }),
    print: (op) => `truncate ${op.file} ${op.pages}`,
  },
  kalloc: {
    words: ['kalloc'],
    forms: ['kalloc vmalloc|page|kmalloc as HANDLE'],
    read(r) {
      const kind = r.choice('allocation', ['vmalloc', 'page', 'kmalloc'] as const);
      r.expect('as');
      return { op: 'kalloc', kind, as: r.handleDef(false) };
    },
    print: (op) => `kalloc ${op.kind} as ${op.as}`,
  },
  touch: {
    words: ['touch'],
    forms: ['touch BUF'],
    read: (r) => ({ op: 'touch', buf: r.buf() }),
    print: (op) => `touch ${op.buf}`,
  },
  vmsplice: {
    words: ['vmsplice'],
    forms: ['vmsplice BUF -> PIPE'],
    read(r) {
      const buf = r.buf();
      r.expect('->');
      return { op: 'vmsplice', buf, pipe: r.pipe() };
    },
    print: (op) => `vmsplice ${op.buf} -> ${op.pipe}`,
  },
  'pipe-read': {
    words: ['pipe-read'],
    forms: ['pipe-read PIPE -> REG'],
    read(r) {
      const pipe = r.pipe();
      r.expect('->');
      return { op: 'pipe-read', pipe, reg: r.regDef() };
    },
    print: (op) => `pipe-read ${op.pipe} -> ${op.reg}`,
  },
  splice: {
    words: ['splice'],
    forms: ['splice PIPE -> FILE[PAGE]'],
    read(r) {
      const pipe = r.pipe();
      r.expect('->');
      return { op: 'splice', pipe, ...r.filePage() };
    },
    print: (op) => `splice ${op.pipe} -> ${op.file}[${op.index}]`,
  },
  'uring-register': {
    words: ['uring register'],
    forms: ['uring register BUF SLOT -> REG'],
    read(r) {
      const buf = r.buf();
      const index = r.number('a registered-buffer slot', MAX_SLOT);
      r.expect('->');
      return { op: 'uring-register', buf, index, reg: r.regDef() };
    },
    print: (op) => `uring register ${op.buf} ${op.index} -> ${op.reg}`,
  },
  'uring-rw': {
    words: ['uring read-fixed', 'uring write-fixed'],
    forms: [`uring read-fixed|write-fixed SLOT ${DIO_PATHS.join('|')} FILE[PAGE] as REG`],
    read(r, word) {
      const index = r.number('a registered-buffer slot', MAX_SLOT);
      const path = r.choice('direct-I/O path', DIO_PATHS);
      const { file, index: fileIndex } = r.filePage();
      r.expect('as');
      const rw = word === 'uring write-fixed' ? 'write' : 'read';
      return { op: 'uring-rw', rw, index, path, file, fileIndex, as: r.regDef() };
    },
    print: (op) => `uring ${op.rw}-fixed ${op.index} ${op.path} ${op.file}[${op.fileIndex}] as ${op.as}`,
  },
  'uring-unregister': {
    words: ['uring unregister'],
    forms: ['uring unregister SLOT'],
    read: (r) => ({ op: 'uring-unregister', index: r.number('a registered-buffer slot', MAX_SLOT) }),
    print: (op) => `uring unregister ${op.index}`,
  },
  ublk: {
    words: ['ublk'],
    forms: [
      'ublk register read|write HANDLE SLOT -> REG',
      'ublk unregister SLOT -> REG',
      'ublk commit HANDLE',
    ],
    read(r) {
      const action = r.choice('ublk action', ['register', 'unregister', 'commit'] as const);
      if (action === 'commit') return { op: 'ublk', action, handle: r.handleUse() };
      const dir = action === 'register' ? r.choice('request direction', ['read', 'write'] as const) : null;
      const handle = action === 'register' ? r.handleUse() : null;
      const index = r.number('a registered-buffer slot', MAX_SLOT);
      r.expect('->');
      const reg = r.regDef();
      return handle === null || dir === null
        ? { op: 'ublk', action: 'unregister', index, reg }
        : { op: 'ublk', action: 'register', dir, handle, index, reg };
    },
    print(op) {
      switch (op.action) {
        case 'register':
          return `ublk register ${op.dir} ${op.handle} ${op.index} -> ${op.reg}`;
        case 'unregister':
          return `ublk unregister ${op.index} -> ${op.reg}`;
        case 'commit':
          return `ublk commit ${op.handle}`;
      }
    },
  },
  'sg-io': {
    words: ['sg-io'],
    forms: ['sg-io read|write FILE[PAGE] into|from BUF as REG'],
    read(r) {
      const rw = r.choice('direction', ['read', 'write'] as const);
      const { file, index } = r.filePage();
      r.expect(rw === 'read' ? 'into' : 'from');
      const buf = r.buf();
      r.expect('as');
      return { op: 'sg-io', rw, file, index, buf, as: r.regDef() };
    },
    print: (op) =>
      `sg-io ${op.rw} ${op.file}[${op.index}] ${op.rw === 'read' ? 'into' : 'from'} ${op.buf} as ${op.as}`,
  },
  peek: {
    words: ['peek'],
    forms: ['peek HANDLE -> REG'],
    read(r) {
      const handle = r.handleUse();
      r.expect('->');
      return { op: 'peek', handle, reg: r.regDef() };
    },
    print: (op) => `peek ${op.handle} -> ${op.reg}`,
  },
  send: {
    words: ['send'],
    forms: ['send BUF [zerocopy] as REG'],
    read(r) {
      const buf = r.buf();
      const zerocopy = r.accept(['zerocopy']) !== null;
      r.expect('as');
      return { op: 'send', buf, zerocopy, as: zerocopy ? r.ioDef() : r.regDef() };
    },
    print: (op) => `send ${op.buf}${op.zerocopy ? ' zerocopy' : ''} as ${op.as}`,
  },
  recv: {
    words: ['recv'],
    forms: ['recv -> REG'],
    read(r) {
      r.expect('->');
      return { op: 'recv', reg: r.regDef() };
    },
    print: (op) => `recv -> ${op.reg}`,
  },
  errqueue: {
    words: ['errqueue'],
    forms: ['errqueue REG -> REG'],
    read(r) {
      const as = r.ioUse();
      r.expect('->');
      return { op: 'errqueue', as, reg: r.regDef() };
    },
    print: (op) => `errqueue ${op.as} -> ${op.reg}`,
  },
  'kernel-aio': {
    words: ['loop', 'lio'],
    forms: ['loop|lio read|write [async] FILE[PAGE] into|from HANDLE as REG'],
    read(r, word) {
      const driver = word === 'lio' ? 'lio' : 'loop';
      const rw = r.choice('direction', ['read', 'write'] as const);
      const async = r.accept(['async']) !== null;
      const { file, index } = r.filePage();
      r.expect(rw === 'read' ? 'into' : 'from');
      const handle = r.handleUse();
      r.expect('as');
      const as = async ? r.ioDef() : r.regDef();
      return { op: 'kernel-aio', driver, rw, async, file, index, handle, as };
    },
    print: (op) =>
      `${op.driver} ${op.rw}${op.async ? ' async' : ''} ${op.file}[${op.index}] ${op.rw === 'read' ? 'into' : 'from'} ${op.handle} as ${op.as}`,
  },
  remap: {
    words: ['dedupe', 'reflink'],
    forms: ['dedupe|reflink FILE[PAGE] -> FILE[PAGE] as REG'],
    read(r, word) {
      const { file, index } = r.filePage();
      r.expect('->');
      const dst = r.filePage();
      r.expect('as');
      const as = r.regDef();
      return { op: 'remap', dedupe: word === 'dedupe', file, index, dst: dst.file, dstIndex: dst.index, as };
    },
    print: (op) =>
      `${op.dedupe ? 'dedupe' : 'reflink'} ${op.file}[${op.index}] -> ${op.dst}[${op.dstIndex}] as ${op.as}`,
  },
  fallocate: {
    words: ['fallocate'],
    forms: ['fallocate FILE[PAGE] punch-hole'],
    read(r) {
      const { file, index } = r.filePage();
      r.choice('a fallocate mode', ['punch-hole'] as const);
      return { op: 'fallocate', file, index };
    },
    print: (op) => `fallocate ${op.file}[${op.index}] punch-hole`,
  },
};

type AnySyntax = OpSyntax<Op>;

/** The syntax entry for an operation. */
export function opSyntax(op: Op): AnySyntax {
  return OP_SYNTAX[op.op];
}

/** Every word that starts an operation, with its entry. */
export const OP_WORDS: ReadonlyMap<string, AnySyntax> = new Map(
  Object.values(OP_SYNTAX).flatMap((s: AnySyntax) => s.words.map((w) => [w, s] as const)),
);
