import type { FsType } from '../model/include/fs.js';
import { HPAGE_PMD_ORDER, HPAGE_PUD_ORDER } from '../model/include/mm_types.js';
import type { AgentKind, PageSpec } from '../model/engine/program.js';

/**
 * Page kinds as a mapping's `page=` spells them: `base`, `thp` (a PMD-mapped 2 MiB THP), `thp-pte`
 * (a 64 KiB mTHP, mapped by PTEs), `thp-SIZE`, `hugetlb-2M`, `hugetlb-1G` (and `hugetlb-SIZE`).
 */

/** The order of a PTE-mapped THP (`thp-pte`): 64 KiB, below the PMD order, so faults map it by PTEs. */
export const THP_PTE_ORDER = 4;

/**
 * The largest page index a scenario may name (a file page, `pgoff`, `disk:F[N]`): the model keeps a
 * file's page cache and disk as arrays up to the highest index used.
 */
export const MAX_PAGE_INDEX = 1023;

export const PAGE_WORDS = ['base', 'thp', 'thp-pte', 'thp-SIZE', 'hugetlb-2M', 'hugetlb-1G'];

function sizeWord(order: number): string {
  const kib = 4 * 2 ** order;
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}G`;
  if (kib % 1024 === 0) return `${kib / 1024}M`;
  return `${kib}K`;
}

function orderOfSize(size: string): number | null {
  const m = /^(\d+)([KMG])$/.exec(size);
  if (!m) return null;
  const kib = Number(m[1]) * (m[2] === 'K' ? 1 : m[2] === 'M' ? 1024 : 1024 * 1024);
  const order = Math.log2(kib / 4);
  return Number.isInteger(order) && order >= 1 ? order : null;
}

export function parsePage(word: string): PageSpec | null {
  if (word === 'base') return { kind: 'base' };
  if (word === 'thp') return { kind: 'thp', order: HPAGE_PMD_ORDER };
  if (word === 'thp-pte') return { kind: 'thp', order: THP_PTE_ORDER };
  const m = /^(thp|hugetlb)-(\w+)$/.exec(word);
  const order = m ? orderOfSize(m[2] as string) : null;
  if (!m || order === null) return null;
  return m[1] === 'thp' ? { kind: 'thp', order } : { kind: 'hugetlb', order };
}

export function pageWord(page: PageSpec): string {
  switch (page.kind) {
    case 'base':
      return 'base';
    case 'thp':
      if (page.order === HPAGE_PMD_ORDER) return 'thp';
      return page.order === THP_PTE_ORDER ? 'thp-pte' : `thp-${sizeWord(page.order)}`;
    case 'hugetlb':
      return `hugetlb-${sizeWord(page.order)}`;
  }
}

/** The hugetlb sizes x86-64 has. */
export const HUGETLB_ORDERS: readonly number[] = [HPAGE_PMD_ORDER, HPAGE_PUD_ORDER];

const FS_SET: Readonly<Record<FsType, true>> = {
  ext4: true,
  xfs: true,
  btrfs: true,
  vfat: true,
  shmem: true,
  hugetlbfs: true,
  bdev: true,
  nfs: true,
  ceph: true,
};
export const FS_TYPES = Object.keys(FS_SET) as FsType[];

/** File attributes: the device checks integrity tags / the fs checksums; stable pages during writeback. */
export const FILE_FLAGS = ['integrity', 'no-integrity', 'stable-writes', 'no-stable-writes'] as const;

const AGENT_SET: Readonly<Record<AgentKind, true>> = {
  device: true,
  flusher: true,
  'bio-dirty-work': true,
  nic: true,
};
export const AGENT_KINDS = Object.keys(AGENT_SET) as AgentKind[];
