import type { Expr, Prop } from '../check/condition.js';
import { errnoName } from '../model/include/errno.js';
import type { FsType } from '../model/include/fs.js';
import type { Program } from '../model/engine/program.js';
import type { Scenario } from '../scenario/index.js';
import { C_FILES } from './c-files.js';
import { C_HARNESS } from './c-harness.js';
import { C_IO } from './c-io.js';
import { cComment, cString } from './c-literal.js';
import { C_KMOD } from './c-kmod.js';
import { C_MEMORY } from './c-memory.js';
import { opStatement } from './c-ops.js';
import { C_PROBE } from './c-probe.js';
import { C_INCLUDES, C_TYPES } from './c-types.js';
import { kernelActorNeeds } from './refuse.js';
import { allOps, diskSlot, layout, memSlot, type Layout } from './layout.js';
import type { Gate } from './schedule.js';

/** What the generated program is told besides the scenario. */
export interface ProgramOptions {
  /** Runs when the program is started without an argument. */
  readonly runs: number;
  /** Gate sets, one schedule each after the free schedule 0; with a line saying where each came from. */
  readonly schedules: readonly { readonly gates: readonly Gate[]; readonly from: string }[];
}

function table(type: string, name: string, items: readonly string[], empty: string): string {
  const body = items.length === 0 ? [empty] : items;
  return `static ${type} ${name}[] = {\n\t${body.join(',\n\t')},\n};\n`;
}

function expr(e: Expr, l: Layout): string {
  switch (e.kind) {
    case 'reg':
      return `S->reg[${l.regs.get(`${e.actor}:${e.reg}`) ?? -1}]`;
    case 'mem':
      return `S->mem[${memSlot(l, e.process, e.buf)}]`;
    case 'disk':
      return `S->disk[${diskSlot(l, e.file, e.page)}]`;
    case 'lit':
      return cString(e.value);
  }
}

function prop(p: Prop, l: Layout): string {
  switch (p.kind) {
    case 'eq':
      return `strcmp(${expr(p.left, l)}, ${expr(p.right, l)}) == 0`;
    case 'ne':
      return `strcmp(${expr(p.left, l)}, ${expr(p.right, l)}) != 0`;
    case 'and':
      return p.args.map((a) => `(${prop(a, l)})`).join(' && ');
    case 'or':
      return p.args.map((a) => `(${prop(a, l)})`).join(' || ');
    case 'not':
      return `!(${prop(p.arg, l)})`;
  }
}

/** How the program makes each filesystem's file: regular files share one O_DIRECT-capable directory. */
const FILE_KIND: Readonly<Record<FsType, string>> = {
  ext4: 'F_REG',
  xfs: 'F_REG',
  btrfs: 'F_REG',
  // A vfat file's direct I/O (fs/direct-io.c) is refused (refuse.ts); its buffered I/O is any regular file's.
  vfat: 'F_REG',
  shmem: 'F_SHMEM',
  hugetlbfs: 'F_HUGETLB',
  bdev: 'F_BDEV',
  // Never reached: refuse.ts refuses a file on a network filesystem (it needs a server).
  nfs: 'F_REG',
  ceph: 'F_REG',
};

function fileTables(program: Program, l: Layout): string {
  const toks = program.files.map(
    (f, i) =>
      `static const int toks_${i}[] = {${f.pages.map((p) => l.tokens.indexOf(p)).join(', ') || '0'}};\n`,
  );
  const rows = program.files.map(
    (f, i) =>
      `{${cString(f.name)}, ${FILE_KIND[f.fs]}, ${f.pages.length}, ${f.fs === 'hugetlbfs' ? 9 : 0}, toks_${i}, -1, -1, "", ""}`,
  );
  return toks.join('') + table('struct file', 'files', rows, '{"", 0, 0, 0, NULL, -1, -1, "", ""}');
}

function bufTable(program: Program): string {
  const initial = program.processes.find((p) => !p.forked);
  const rows = (initial?.mappings ?? []).map((m) => {
    const kind = m.page.kind === 'base' ? 'P_BASE' : m.page.kind === 'thp' ? 'P_THP' : 'P_HUGETLB';
    const order = m.page.kind === 'base' ? 0 : m.page.order;
    const [file, pgoff] = m.backing.type === 'file' ? [m.backing.file, m.backing.pgoff] : [-1, 0];
    const prot =
      [...(m.read ? ['PROT_READ'] : []), ...(m.write ? ['PROT_WRITE'] : [])].join(' | ') || 'PROT_NONE';
    return `{${cString(m.name)}, ${kind}, ${order}, ${file}, ${pgoff}, ${m.shared ? 1 : 0}, ${prot}, NULL, 0, 0}`;
  });
  return table('struct buf', 'bufs', rows, '{"", 0, 0, -1, 0, 0, 0, NULL, 0, 0}');
}

function counts(s: Scenario, l: Layout, o: ProgramOptions, gates: number): string {
  const p = s.program;
  const regular = p.files.some((f) => FILE_KIND[f.fs] === 'F_REG');
  const defs: [string, number | string][] = [
    ['NACT', p.actors.length],
    ['NPROC', p.processes.length],
    ['NREG', l.regs.size],
    ['NMEM', l.mems.length],
    ['NDISK', l.disks.length],
    ['NCOND', s.conditions.length],
    ['NSCHED', o.schedules.length + 1],
    ['NGATE', gates],
    ['NTOK', l.tokens.length],
    ['NFILE', p.files.length],
    ['NBUF', l.bufs.size],
    ['NPIPE', (p.pipes ?? []).length],
    ['NHANDLE', l.handles.size],
    ['NIO', l.ios.size],
    ['NSLOT', l.slots],
    ['NEED_ODIRECT', regular ? 1 : 0],
    ['SETTLE', p.agents?.includes('bio-dirty-work') ? 1 : 0],
    ['DEFAULT_RUNS', o.runs],
    ['SCENARIO', cString(s.id)],
  ];
  return defs.map(([k, v]) => `#define ${k} ${v}\n`).join('');
}

function dataTables(s: Scenario, l: Layout, o: ProgramOptions): { text: string; gates: number } {
  const gates = o.schedules.flatMap((sc, i) =>
    sc.gates.map((g) => `{${i + 1}, ${g.actor}, ${g.op}, ${g.other}, ${g.finished ? 1 : 0}, ${g.count}}`),
  );
  const text = [
    table('const char *const', 'tokens', l.tokens.map(cString), 'NULL'),
    table(
      'const char *const',
      'cond_names',
      s.conditions.map((c) => cString(c.name)),
      'NULL',
    ),
    table(
      'const int',
      'cond_forall',
      s.conditions.map((c) => (c.quantifier === 'forall' ? '1' : '0')),
      '0',
    ),
    table(
      'const int',
      'actor_proc',
      s.program.actors.map((a) => String(a.process)),
      '0',
    ),
    table(
      'const char *const',
      'reg_names',
      [...l.regs.keys()].map((k) => cString(regName(s.program, k))),
      'NULL',
    ),
    table(
      'const char *const',
      'mem_names',
      l.mems.map((m) => cString(`${s.program.processes[m.process]?.name ?? '?'}:${m.buf}`)),
      'NULL',
    ),
    table(
      'const char *const',
      'disk_names',
      l.disks.map((d) => cString(`disk:${s.program.files[d.file]?.name ?? '?'}[${d.page}]`)),
      'NULL',
    ),
    table(
      'const int',
      'mem_proc',
      l.mems.map((m) => String(m.process)),
      '0',
    ),
    table(
      'const int',
      'mem_buf',
      l.mems.map((m) => String(l.bufs.get(m.buf) ?? 0)),
      '0',
    ),
    table(
      'const int',
      'disk_file',
      l.disks.map((d) => String(d.file)),
      '0',
    ),
    table(
      'const int',
      'disk_page',
      l.disks.map((d) => String(d.page)),
      '0',
    ),
    table('const struct gate', 'gates', gates, '{-1, -1, -1, -1, 0, 0}'),
    fileTables(s.program, l),
    bufTable(s.program),
  ].join('\n');
  return { text, gates: gates.length };
}

/** `0:r` -> `T0:r`. */
function regName(program: Program, key: string): string {
  const i = key.indexOf(':');
  return `${program.actors[Number(key.slice(0, i))]?.name ?? '?'}${key.slice(i)}`;
}

function errnameFn(): string {
  const cases = Object.entries(errnoName)
    .filter(([n]) => Number(n) < 512)
    .map(([n, name]) => `\tcase ${n}:\n\t\treturn ${cString(name)};\n`);
  return `static const char *errname(int e)
{
	static char other[VLEN];
	switch (e) {
${cases.join('')}\t}
	snprintf(other, sizeof other, "E%d", e);
	return other;
}
`;
}

function actorFns(s: Scenario, l: Layout): string {
  const fns = s.program.actors.map((a, actor) => {
    const body = a.ops.map(
      (op, k) =>
        `\top_begin(${actor}, ${k});\n\t${opStatement(op, { program: s.program, layout: l, actor })}\n\top_end(${actor}, ${k});\n`,
    );
    return `${cComment(`thread ${a.name}`)}\nstatic void actor_${actor}(void)\n{\n${body.join('')}}\n`;
  });
  const cases = s.program.actors.map((_, a) => `\tcase ${a}:\n\t\tactor_${a}();\n\t\tbreak;\n`);
  return `${fns.join('\n')}\nstatic void run_actor(int a)\n{\n\tswitch (a) {\n${cases.join('')}\t}\n}\n`;
}

function runOnce(s: Scenario, l: Layout, kmod: boolean): string {
  const setup = s.program.setup.map(
    ([actor, op]) => `\t${opStatement(op, { program: s.program, layout: l, actor })}\n`,
  );
  return `static void run_once(int run)
{
${kmod ? '\tkmod_open();\n' : ''}	make_files(run);
	make_pipes();
	for (int i = 0; i < NBUF; i++)
		map_buf(&bufs[i]);
${setup.join('')}	verify_thp();
	run_threads(0);
	process_done(0);
	observe(0, 0);
	while (wait(NULL) > 0)
		;
	for (int i = 0; i < NDISK; i++)
		read_disk(i, disk_file[i], disk_page[i], SETTLE);
${kmod ? '\tkmod_close();\n' : ''}	remove_files();
}
`;
}

function condHolds(s: Scenario, l: Layout): string {
  const cases = s.conditions.map((c, i) => `\tcase ${i}:\n\t\treturn ${prop(c.prop, l)};\n`);
  return `static int cond_holds(int c)\n{\n\tswitch (c) {\n${cases.join('')}\t}\n\treturn 0;\n}\n`;
}

/** The checks run before any run: a missing feature skips the whole program with its reason. */
function probe(s: Scenario, l: Layout): string {
  const p = s.program;
  const ops = allOps(p).map((o) => o.op);
  const forks = ops.filter((o) => o.op === 'fork').length;
  const kmod = kernelActorNeeds(s)[0];
  const checks: string[] =
    kmod === undefined ? [] : [`need_kmod(${cString(`${kmod.where}: ${kmod.reason}`)});`];
  const mappings = p.processes.flatMap((x) => x.mappings);
  for (const order of [...new Set(mappings.flatMap((m) => (m.page.kind === 'thp' ? [m.page.order] : [])))])
    checks.push(`need_thp(${order});`);
  const huge = new Map<number, number>();
  for (const m of mappings)
    if (m.page.kind === 'hugetlb' && m.backing.type === 'anon')
      huge.set(m.page.order, (huge.get(m.page.order) ?? 0) + 1 + forks);
  for (const f of p.files) if (f.fs === 'hugetlbfs') huge.set(9, (huge.get(9) ?? 0) + f.pages.length);
  for (const [order, n] of huge) checks.push(`need_hugetlb(${order}, ${n});`);
  if (l.slots > 0 || [...l.handles.values()].some((h) => h.mode === 'pin')) checks.push('need_uring();');
  if (l.ios.size > 0) checks.push('need_aio();');
  const anon = new Set(mappings.filter((m) => m.backing.type === 'anon').map((m) => m.name));
  if (ops.some((o) => o.op === 'madvise' && o.advice === 'pageout' && anon.has(o.buf)))
    checks.push('need_swap();');
  return `static void probe(void)\n{\n${checks.map((c) => `\t${c}\n`).join('')}}\n`;
}

/** The whole C program for one scenario (that refusals() accepts). */
export function cProgram(s: Scenario, o: ProgramOptions): string {
  const l = layout(s);
  const data = dataTables(s, l, o);
  const kmod = kernelActorNeeds(s).length > 0;
  const header = [
    cComment(`pinlab export-c: scenario ${s.id}, run on the real kernel.`),
    '/* Build: cc -O2 -Wall -Werror -pthread -o prog prog.c; run: ./prog [RUNS] (root for loop devices). */',
    ...(kmod
      ? ['/* Needs the pinlab_grab module (lab/kmod) loaded: /dev/pinlab_grab, or every condition skips. */']
      : []),
    '/* Schedule 0 runs the threads freely; each other one follows a model trace at op granularity: */',
    ...o.schedules.map((sc, i) => cComment(`  schedule ${i + 1}: ${sc.from}`)),
  ].join('\n');
  return [
    header,
    C_INCLUDES,
    counts(s, l, o, data.gates),
    C_TYPES,
    data.text,
    C_HARNESS,
    C_FILES,
    C_MEMORY,
    C_IO,
    ...(kmod ? [C_KMOD] : []),
    C_PROBE,
    errnameFn(),
    actorFns(s, l),
    runOnce(s, l, kmod),
    condHolds(s, l),
    probe(s, l),
  ].join('\n');
}
