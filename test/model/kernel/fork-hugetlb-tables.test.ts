import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { HUGETLB_2M, anon, op, profile, program, reg, runSchedule } from '../harness.js';

/**
 * vma_needs_copy() (policy fork.copyHugetlbTables): fork copied the page tables of every hugetlb VMA
 * (the 5.10 tree mm/memory.c:1157: VM_HUGETLB in the test) until "hugetlb: Lazy page table copies in
 * fork()" (v6.0); since then a hugetlb VMA without an anon_vma, such as a shared one, is refaulted by
 * the child (the 6.1 tree mm/memory.c:1251, 6.12 :1330, 7.2 :1482).
 */
describe('fork and a shared hugetlb mapping (policy fork.copyHugetlbTables)', () => {
  const prog = program(
    [anon('buf', HUGETLB_2M, true)],
    [
      { process: 0, ops: [op.fork(1)] },
      { process: 1, ops: [op.read('buf', 'seen')] },
    ],
    [op.write('buf', 'A')],
  );
  it.each(RELEASES)(
    '%s: the child has the entry after fork only before v6.0; it reads the data either way',
    (r) => {
      const afterFork = runSchedule(profile(r), {
        ...prog,
        actors: [prog.actors[0] ?? { name: 'T0', process: 0, ops: [] }],
      });
      const child = afterFork.world.mms[1];
      const copied = !releaseAtLeast(r, 'v6.0');
      expect(child?.vmas[0]?.pte.kind).toBe(copied ? 'present' : 'none');
      const page = afterFork.world.folios.find((f) => f.kind === 'hugetlb' && !f.freed);
      expect(page?.mapcount).toBe(copied ? 2 : 1);
      expect(reg(runSchedule(profile(r), prog), 1, 'seen')).toBe('A');
    },
  );
});
