import { parseScenarios, type ParsedScenario } from '../../src/scenario/index.js';

/** Parse a scenario the test states inline; a parse error fails the test with its messages. */
export function scenarioOf(text: string): readonly ParsedScenario[] {
  const r = parseScenarios(text, 'test.pin');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.scenarios;
}

/** One scenario that uses every operation export-c translates, on every kind of file and mapping. */
export const EVERY_OP = `scenario every-op
intent: Every operation export-c translates.
source: pinlab's export tests

file f ext4 = "A" "B"
file s shmem = "S"
file h hugetlbfs = "H"
file d bdev = "D"
pipe p

agent device
agent flusher

process P
  map a anon private
  map t anon private page=thp
  map m file f shared
  map ms file s shared
  map mh file h shared page=hugetlb-2M
  map hb anon private page=hugetlb-2M
process C forked

setup
  T0: write a "X"

thread T0 in P
  read a -> r0
  touch a
  mprotect a r
  mprotect a rw
  madvise a dontfork
  madvise a dofork
  split-pmd t
  get a as g
  peek g -> r1
  put g
  pin a write longterm as q
  peek q -> r2
  unpin q dirty
  dio read iomap f[0] into a as r3
  dio read blkdev async iovec d[0] into t as r4
  await r4
  pread f[1] -> r5
  pwrite f[1] "Y"
  fsync f
  truncate f 2
  vmsplice a -> p
  pipe-read p -> r6
  vmsplice a -> p
  splice p -> f[1]
  uring register a 1 -> r7
  uring read-fixed 1 iomap f[0] as r8
  uring unregister 1
  fork C
  wait C
  munmap a

thread T1 in C
  write a "Z"
  exit

exists (T0:r0 == "X" and (P:m != "A" or disk:f[0] == "A")) as c1
forall (not (T0:r3 == "EFAULT")) as c2
`;
