import type { Policies } from '../../model/profile/policies/index.js';
import type { SelftestMachine } from '../selftest.js';
import type { CowEdition } from './edition.js';
import { anonHugetlbSkip, memfdHugetlbSkip, plain, THPS_NOT_POPULATED, type Skip } from './skip.js';

/**
 * The memory kinds cow.c runs each test on, in its order: its run_with_*() functions. A kind says how
 * the test's memory `mem` is mapped and populated (memset(mem, 1) is `write mem "A"`), what else the
 * scenario needs before the test body, and when the real test would skip it.
 *
 * MODEL: a VMA maps one entry (see Vma), so the kinds that map only part of a THP are checked as the
 * whole PTE-mapped THP: "single PTE of THP" (MADV_DONTNEED of all but one subpage), "partially
 * mremap()'ed THP" (half of it moved away) and "partially shared THP" (only the first subpage was
 * shared with a child that quit; here the whole folio was). Their subpages behave alike in the tests'
 * writes and pins, so the outcome is the whole folio's.
 */
export interface AnonKind {
  /** What `[RUN] <test> ... with <label>` prints. */
  readonly label: string;
  /** The `map mem ...` attributes after `anon private`. */
  readonly page: string;
  /** Setup operations after populating (split the PMD, swap out). */
  readonly setup: readonly string[];
  /** The test ran on memory that was shared with a child that has quit (`fork X; wait X` first). */
  readonly previouslyShared: boolean;
  readonly swapout: boolean;
  readonly hugetlb: boolean;
  /** Why the real test skips this kind on this machine and release, or null. */
  skip(machine: SelftestMachine, policies: Policies): Skip | null;
}

const SWAP_SKIP = plain('MADV_PAGEOUT did not work, is swap enabled?');

function pageOfThp(kb: number, pmdKb: number): string {
  return kb === pmdKb ? 'page=thp' : `page=thp-${kb}K`;
}

function base(swapout: boolean): AnonKind {
  return {
    label: swapout ? 'swapped out base page' : 'base page',
    page: '',
    setup: swapout ? ['madvise mem pageout'] : [],
    previouslyShared: false,
    swapout,
    hugetlb: false,
    skip: (m) => (swapout && !m.swap ? SWAP_SKIP : null),
  };
}

type ThpRun =
  'pmd' | 'pmd-swapout' | 'pte' | 'pte-swapout' | 'single-pte' | 'single-pte-swapout' | 'mremap' | 'shared';

const THP_LABEL: Readonly<Record<ThpRun, string>> = {
  pmd: 'THP',
  'pmd-swapout': 'swapped-out THP',
  pte: 'PTE-mapped THP',
  'pte-swapout': 'swapped-out, PTE-mapped THP',
  'single-pte': 'single PTE of THP',
  'single-pte-swapout': 'single PTE of swapped-out THP',
  mremap: "partially mremap()'ed THP",
  shared: 'partially shared THP',
};

/** do_run_with_thp(): a THP of `kb` KiB, PTE-mapped unless the run keeps the PMD, maybe swapped out. */
function thp(run: ThpRun, kb: number, pmdKb: number): AnonKind {
  const swapout = run.endsWith('swapout');
  const pmd = run === 'pmd' || run === 'pmd-swapout';
  // A PMD-sized THP is PTE-mapped by cow.c's mprotect() of one subpage; smaller ones already are.
  const split = !pmd && kb === pmdKb ? ['split-pmd mem'] : [];
  return {
    label: `${THP_LABEL[run]} (${kb} kB)`,
    page: pageOfThp(kb, pmdKb),
    setup: [...split, ...(swapout ? ['madvise mem pageout'] : [])],
    previouslyShared: run === 'shared',
    swapout,
    hugetlb: false,
    skip(m, p) {
      if (kb !== pmdKb && p['thp.anonOrders'] === 'pmd')
        return plain(
          `THP size ${kb} kB needs multi-size THP (v6.8: mm: thp: support allocation of anonymous multi-size THP)`,
        );
      return swapout && !m.swap ? SWAP_SKIP : null;
    },
  };
}

function hugetlbPage(kb: number): string {
  return kb >= 1048576 ? `page=hugetlb-${kb / 1048576}G` : `page=hugetlb-${kb / 1024}M`;
}

/** The free pages of a hugetlb size: `--hugetlb-pages`, or as many as any test needs. */
function freeHugetlb(m: SelftestMachine, kb: number): number {
  return m.hugetlbPages[kb] ?? 2;
}

/** run_with_hugetlb(): a private anonymous hugetlb page of `kb` KiB. */
function hugetlb(kb: number): AnonKind {
  return {
    label: `hugetlb (${kb} kB)`,
    page: hugetlbPage(kb),
    setup: [],
    previouslyShared: false,
    swapout: false,
    hugetlb: true,
    skip: (m) => anonHugetlbSkip(freeHugetlb(m, kb)),
  };
}

/** run_anon_test_case(): every kind one anonymous test case runs on, in cow.c's order. */
export function anonKinds(m: SelftestMachine): AnonKind[] {
  const kinds = [base(false), base(true)];
  for (const kb of m.thpSizesKb) {
    const runs: ThpRun[] = kb === m.pmdSizeKb ? ['pmd', 'pmd-swapout'] : [];
    runs.push('pte', 'pte-swapout', 'single-pte', 'single-pte-swapout', 'mremap', 'shared');
    kinds.push(...runs.map((r) => thp(r, kb, m.pmdSizeKb)));
  }
  kinds.push(...m.hugetlbSizesKb.map(hugetlb));
  return kinds;
}

/** run_anon_thp_test_cases(): the PMD-mapped THP the collapse tests start from. */
export function collapseKind(m: SelftestMachine): AnonKind {
  return thp('pmd', m.pmdSizeKb, m.pmdSizeKb);
}

/** A non-anonymous kind: `mem` a private mapping, `smem` a second, read-only view of the same memory. */
export interface NonAnonKind {
  readonly label: string;
  /** Declarations before the processes (a file). */
  readonly decls: readonly string[];
  readonly mem: string;
  readonly smem: string;
  skip(machine: SelftestMachine): Skip | null;
}

function fileKind(label: string, fs: string, page: string, hugetlbKb = 0): NonAnonKind {
  const attrs = page === '' ? '' : ` ${page}`;
  return {
    label,
    decls: [`file f ${fs} = "F"`],
    mem: `file f private${attrs}`,
    smem: `file f shared${attrs} r`,
    skip: (m) => (hugetlbKb === 0 ? null : memfdHugetlbSkip(freeHugetlb(m, hugetlbKb))),
  };
}

/**
 * run_non_anon_test_case(): zero page, memfd, tmpfile, huge zero page, memfd hugetlb per size. The
 * huge zeropage skips where it is disabled, and on the v6.17 edition always (cowEdition).
 */
export function nonAnonKinds(m: SelftestMachine, ed: CowEdition): NonAnonKind[] {
  const kinds: NonAnonKind[] = [
    {
      label: 'shared zeropage',
      decls: [],
      mem: 'anon private',
      smem: 'anon private r',
      skip: () => null,
    },
    fileKind('memfd', 'shmem', ''),
    // MODEL: tmpfile() lands on the test's temporary directory; ext4 stands for a disk filesystem.
    fileKind('tmpfile', 'ext4', ''),
  ];
  if (m.pmdSizeKb > 0)
    kinds.push({
      label: 'huge zeropage',
      decls: [],
      mem: 'anon private page=thp',
      smem: 'anon private page=thp r',
      skip: (mm) =>
        !mm.hugeZeropage
          ? plain('Huge zeropage not enabled')
          : ed.hugeZeropageSkips
            ? THPS_NOT_POPULATED
            : null,
    });
  for (const kb of m.hugetlbSizesKb)
    kinds.push(fileKind(`memfd hugetlb (${kb} kB)`, 'hugetlbfs', hugetlbPage(kb), kb));
  return kinds;
}
