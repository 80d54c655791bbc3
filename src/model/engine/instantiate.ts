import { fresh } from '../include/own.js';
import {
  HPAGE_PMD_ORDER,
  PTE_NONE,
  type Mm,
  type OwnMm,
  type OwnVma,
  type Vma,
} from '../include/mm_types.js';
import { folioAlloc } from '../mm/folio.js';
import { ZERO_DATA } from '../mm/filemap.js';
import type { Policies } from '../profile/policies/index.js';
import type { MappingSpec, Program } from './program.js';
import { applySetupOp } from './step.js';
import { newActorState, type World } from '../core/world.js';
import { newWorld, ownArray, ownFile } from '../core/cow.js';

function vmaFromSpec(spec: MappingSpec): OwnVma {
  const order = spec.page.kind === 'base' ? 0 : spec.page.order;
  return fresh<Vma, OwnVma>({
    name: spec.name,
    backing: spec.backing.type === 'anon' ? { type: 'anon' } : spec.backing,
    shared: spec.shared,
    hugetlb: spec.page.kind === 'hugetlb',
    order,
    read: spec.read,
    write: spec.write,
    mayWrite: true,
    dontfork: false,
    wipeonfork: false,
    anonVma: false,
    pte: PTE_NONE,
  });
}

/**
 * The World a program starts from: the zero pages, the files on disk, the processes that exist at
 * start with their (unpopulated) mappings, then the program's setup operations run in order.
 */
export function instantiate(program: Program, policies: Policies): World {
  const w = newWorld({
    folios: [],
    mms: [],
    files: [],
    swap: [],
    zeroPage: 0,
    hugeZeroPage: 1,
    processes: [],
    actors: program.actors.map(() => newActorState()),
    bios: [],
    dios: [],
    bioDirtyList: [],
    pipes: (program.pipes ?? []).map((name, id) => ({ id, name, bufs: [] })),
    uring: [],
    skbs: [],
  });
  folioAlloc(w, 'zero', 0, { type: 'none' }, ZERO_DATA);
  folioAlloc(w, 'huge-zero', HPAGE_PMD_ORDER, { type: 'none' }, ZERO_DATA);
  program.files.forEach((f, id) =>
    ownArray(w, 'files').push({
      id,
      name: f.name,
      fs: f.fs,
      cache: [],
      disk: [...f.pages],
      size: f.pages.length,
      integrity: f.integrity ?? false,
      stableWrites: f.stableWrites ?? f.integrity ?? false,
      csumBad: [],
      reflinks: [],
      staleCache: [],
    }),
  );
  // hugetlbfs_file_mmap(): a writable mapping of a hugetlbfs file reaching past i_size moves i_size to
  // its end (the 5.10 tree's fs/hugetlbfs/inode.c:198, 6.1 :186, 6.12 :158, 7.2 :161).
  for (const proc of program.processes)
    for (const m of proc.mappings) {
      if (proc.forked || m.backing.type !== 'file' || !m.write) continue;
      const file = w.files[m.backing.file];
      if (file?.fs === 'hugetlbfs' && file.size <= m.backing.pgoff)
        ownFile(w, file.id).size = m.backing.pgoff + 1;
    }
  for (const proc of program.processes) {
    if (proc.forked) {
      ownArray(w, 'processes').push(null);
      continue;
    }
    const mm = fresh<Mm, OwnMm>({
      id: w.mms.length,
      alive: true,
      hasPinned: false,
      writeProtectSeq: 0,
      vmas: proc.mappings.map(vmaFromSpec),
    });
    ownArray(w, 'mms').push(mm);
    ownArray(w, 'processes').push(mm.id);
  }
  let world: World = w;
  for (const [actor, op] of program.setup) world = applySetupOp(program, policies, world, actor, op);
  return world;
}
