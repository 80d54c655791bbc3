import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * Test-only: grammar-aware mutations of the built-in library, for the fuzz properties. A mutant is a
 * library file with a few edits at the level of lines and words (a word replaced by a keyword, a name
 * or an edge-case number, a line deleted, copied or inserted, a nesting bomb, a long word) or of
 * characters (random text inserted, the file cut short): mostly near the grammar, so that many parse.
 */

const DIRS = [
  new URL('../../scenarios/', import.meta.url),
  new URL('../scenario/fixtures/', import.meta.url),
];

export const LIBRARY: readonly string[] = DIRS.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.pin'))
    .sort()
    .map((f) => readFileSync(new URL(f, d), 'utf8')),
);

/** Words worth putting anywhere: keywords, operations, edge-case numbers, symbols. */
const WORDS = [
  ...['scenario', 'intent:', 'source:', 'axis', 'file', 'pipe', 'agent', 'process', 'map', 'setup'],
  ...['thread', 'exists', 'forall', 'expect', 'forked', 'in', 'as', 'when', 'on', 'all', 'not', 'and', 'or'],
  ...['exit', 'wait', 'fork', 'fsync', 'dio', 'try-get', 'uring', 'read-fixed', 'pin', 'get', 'unpin'],
  ...['0', '1', '7', '1023', '1024', '16384', '2147483647', '2147483648', '4294967296', '1e21'],
  ...['Infinity', '-1', '007', '9'.repeat(30), 'page=thp', 'page=hugetlb-1G', 'pgoff=1', 'flags=64'],
  ...['(', ')', '[', ']', '->', '==', '!=', '..', ':', '|', ',', '~', '"', '"@"', '#', '$x', 'v6.1..'],
  // The operations, paths and profiles merged with issue 19 and the stable series.
  ...['send', 'recv', 'errqueue', 'zerocopy', 'loop', 'lio', 'async', 'dedupe', 'reflink', 'fallocate'],
  ...['punch-hole', 'ublk', 'register', 'unregister', 'commit', 'sg-io', 'kalloc', 'kmalloc', 'nic'],
  ...['nfs', 'ceph', 'blkdev-split', 'v5.10.y', 'v6.1.y', 'v6.12.y', 'v7.0', 'v5.10.y..', '..v6.1.y'],
];

/** Whole lines worth inserting: setup operations, axes, continuations, deep conditions. */
const LINES = [
  'setup',
  '  T0: exit',
  '  T0: fsync f',
  '  T0: dio read iomap f[0] into buf as r',
  '  T1: wait C',
  '  T0: send buf zerocopy as z',
  '  T0: recv -> r',
  '  T0: errqueue z -> r',
  '  T0: kalloc kmalloc as k',
  '  T0: loop read f[0] into k as r',
  '  T0: lio write async f[0] from k as w',
  '  T0: sg-io read f[0] into buf as r',
  '  T0: dedupe f[0] -> f[1] as d',
  '  T0: fallocate f[0] punch-hole',
  '  T0: ublk register read k 0 -> r',
  '  T0: ublk commit k',
  'agent nic',
  'file g nfs = "A"',
  'file g ceph = "A" | "B"',
  'file sda bdev = "D"',
  '  send buf zerocopy as z',
  '  errqueue z -> done',
  '  kalloc kmalloc as k',
  '  lio read async f[0] into k as r',
  '  loop write f[0] from k as r',
  '  reflink f[0] -> f[0] as d',
  '  fallocate f[1023] punch-hole',
  '  fallocate f[0]',
  '  ublk register write k 16383 -> r',
  '  ublk unregister 16383 -> u',
  '  sg-io write f[1023] from buf as s',
  '  dio read blkdev-split async iovec f[0] into buf as ar',
  '  dio write nfs iovec f[0] from buf as r',
  '  dio read ceph async iovec f[0] into buf as ar',
  '  send',
  '  loop read',
  '  dedupe f[0] ->',
  'axis x = a | "b@c" | "d e"',
  'axis y = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17',
  'axis z = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17',
  '  source: a continued header',
  '  intent : another',
  'intent: two',
  '  continued',
  `exists (${'not '.repeat(5000)}P:buf == "A")`,
  `exists ${'('.repeat(5000)}P:buf == "A"${')'.repeat(5000)}`,
  `exists (${Array.from({ length: 2000 }, () => 'P:buf == "A"').join(' and ')})`,
  `  ${'w'.repeat(200_000)} buf`,
  '  map big file f private pgoff=1000000000000000000000',
  '  pread f[99999999999999999999] -> r',
  '  get buf flags=2147483648 as h',
];

type Mutation =
  | { readonly kind: 'word'; readonly line: number; readonly at: number; readonly word: number }
  | { readonly kind: 'delete'; readonly line: number }
  | { readonly kind: 'copy'; readonly line: number; readonly to: number }
  | { readonly kind: 'insert'; readonly line: number; readonly text: number }
  | { readonly kind: 'chars'; readonly at: number; readonly text: string }
  | { readonly kind: 'cut'; readonly at: number };

const n = fc.nat({ max: 1_000_000 });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('word' as const), line: n, at: n, word: n }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), line: n }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('copy' as const), line: n, to: n }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), line: n, text: n }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('chars' as const),
      at: n,
      text: fc.string({ unit: 'binary', maxLength: 4 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('cut' as const), at: n }), weight: 1 },
);

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const i = 'line' in m ? m.line % lines.length : 0;
  switch (m.kind) {
    case 'word': {
      const words = (lines[i] ?? '').split(' ');
      words[m.at % words.length] = pick(WORDS, m.word);
      lines[i] = words.join(' ');
      return lines.join('\n');
    }
    case 'delete':
      lines.splice(i, 1);
      return lines.join('\n');
    case 'copy':
      lines.splice(m.to % (lines.length + 1), 0, lines[i] ?? '');
      return lines.join('\n');
    case 'insert':
      lines.splice(i, 0, pick(LINES, m.text));
      return lines.join('\n');
    case 'chars': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'cut':
      return text.slice(0, m.at % (text.length + 1));
  }
}

/** A library file with one to four mutations. */
export const mutantArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...LIBRARY), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([text, ms]) => ms.reduce(mutate, text));

/** How many runs a property gets: `npm run fuzz` sets them (and the seed) in the environment. */
export function fuzzRuns(target: 'parser' | 'checker', quick: number): { numRuns: number; seed?: number } {
  const wanted = process.env.PINLAB_FUZZ_TARGET;
  const count = Number(process.env.PINLAB_FUZZ_COUNT ?? NaN);
  const seed = Number(process.env.PINLAB_FUZZ_SEED ?? NaN);
  const numRuns = Number.isSafeInteger(count) && (wanted === undefined || wanted === target) ? count : quick;
  return Number.isSafeInteger(seed) ? { numRuns, seed } : { numRuns };
}
