import { describe, expect, it } from 'vitest';
import { libraryFiles, loadScenarios } from '../../src/cli/library.js';
import { cString } from '../../src/export/c-literal.js';
import { cProgram, refusals } from '../../src/export/index.js';
import type { ParsedScenario } from '../../src/scenario/index.js';
import { EVERY_OP, scenarioOf } from './fixtures.js';
import { HAVE_CC, syntaxCheck } from './cc.js';

const [every] = scenarioOf(EVERY_OP);
if (every === undefined) throw new Error('no scenario');
const text = cProgram(every.scenario, { runs: 7, schedules: [] });

describe('cProgram', () => {
  it('accepts a scenario with every exportable operation', () => {
    expect(refusals(every.scenario)).toEqual([]);
  });

  it.each([
    ['write', 'op_write(&bufs[0], '],
    ['read', 'op_read(&bufs[0], S->reg[0], 0);'],
    ['touch', 'op_touch(&bufs[0], 0);'],
    ['mprotect', 'op_mprotect(&bufs[0], PROT_READ);'],
    ['madvise', 'op_madvise(&bufs[0], MADV_DONTFORK);'],
    ['split-pmd', 'op_split_pmd(&bufs[1]);'],
    ['get', 'op_get(&handles[0], &bufs[0], S->reg[1]);'],
    ['peek of a get', 'op_peek_get(&handles[0], S->reg[2]);'],
    ['put', 'op_put(&handles[0]);'],
    ['pin', 'op_pin(&handles[1], &bufs[0], S->reg[3]);'],
    ['peek of a pin', 'op_peek_pin(&handles[1], S->reg[4]);'],
    ['unpin', 'op_unpin(&handles[1]);'],
    ['sync dio', 'op_dio(0, &files[0], 0, &bufs[0], 0, 0, 0, S->reg[5], 0);'],
    ['async dio', 'op_dio(0, &files[3], 0, &bufs[1], 0, 1, 1, S->reg[6], 0);'],
    ['await', 'op_await(0, 0, S->reg[6]);'],
    ['pread', 'op_pread(&files[0], 1, S->reg[7]);'],
    ['pwrite', 'op_pwrite(&files[0], 1, '],
    ['fsync', 'fsync(files[0].fd);'],
    ['truncate', 'op_truncate(&files[0], 2);'],
    ['vmsplice', 'op_vmsplice(&bufs[0], 0);'],
    ['pipe-read', 'op_pipe_read(0, S->reg[8]);'],
    ['splice', 'op_splice(0, &files[0], 1);'],
    ['uring register', 'op_uring_register(&bufs[0], 1, S->reg[9]);'],
    ['uring read-fixed', 'op_uring_rw(1, 0, &files[0], 0, S->reg[10]);'],
    ['uring unregister', 'op_uring_unregister(1);'],
    ['fork', 'do_fork(1);'],
    ['wait', 'do_wait(1);'],
    ['munmap', 'op_munmap(&bufs[0]);'],
    ['exit', 'do_exit(1);'],
  ])('translates %s', (_, statement) => {
    expect(text).toContain(statement);
  });

  it('tries a store the mapping forbids under a SIGSEGV guard: it lands only where the kernel lets it', () => {
    expect(text).toMatch(/else if \(b->mapped\)\n\t\tguarded\(SIGSEGV, ACC_STORE, b->addr, tok, NULL\);/);
    expect(text).toContain(
      'int got = sigsetjmp(fault_at, 1);\n\tif (!got) {\n\t\tif (how == ACC_STORE)\n\t\t\tfill(p, PG, tok);',
    );
  });

  it("runs an access the model may find past its file's end under the same guard, for SIGBUS", () => {
    const [t] = scenarioOf(`scenario bus
intent: A load and a store past a truncation.
source: pinlab's export tests

file f xfs = "A" "B"

process P
  map head file f shared
  map buf file f shared pgoff=1
  map a anon private

thread T0 in P
  truncate f 1
  write buf "X"
  read buf -> v
  touch buf
  read a -> w

exists (T0:v == "SIGBUS")
`);
    if (t === undefined) throw new Error('no scenario');
    expect(refusals(t.scenario)).toEqual([]);
    const c = cProgram(t.scenario, { runs: 1, schedules: [] });
    expect(c).toContain('op_write(&bufs[1], 3, 1);');
    expect(c).toContain('op_read(&bufs[1], S->reg[0], 1);');
    expect(c).toContain('op_touch(&bufs[1], 1);');
    expect(c).toContain('op_read(&bufs[2], S->reg[1], 0);');
    expect(c).toContain(
      'else if (bus && guarded(SIGBUS, ACC_LOAD, b->addr, 0, slot))\n\t\tset_val(slot, "SIGBUS");',
    );
    expect(c).toContain('if (guarded(SIGBUS, ACC_LOAD, b->addr, 0, slot))\n\t\tset_val(slot, "SIGBUS");');
    if (HAVE_CC) expect(syntaxCheck(c)).toBe('');
  });

  it('wraps each thread op in its gate calls, and runs setup ops without them', () => {
    expect(text).toMatch(/op_begin\(0, 0\);\n\top_read\(&bufs\[0\], S->reg\[0\], 0\);\n\top_end\(0, 0\);/);
    expect(text).toMatch(/map_buf\(&bufs\[i\]\);\n\top_write\(&bufs\[0\], \d+, 0\);\n\tverify_thp/);
  });

  it('declares each file and mapping kind, and the features to probe', () => {
    expect(text).toContain('{"f", F_REG, 2, 0, toks_0, -1, -1, "", ""}');
    expect(text).toContain('{"s", F_SHMEM, 1, 0, toks_1, -1, -1, "", ""}');
    expect(text).toContain('{"h", F_HUGETLB, 1, 9, toks_2, -1, -1, "", ""}');
    expect(text).toContain('{"d", F_BDEV, 1, 0, toks_3, -1, -1, "", ""}');
    expect(text).toContain('{"t", P_THP, 9, -1, 0, 0, PROT_READ | PROT_WRITE, NULL, 0, 0}');
    expect(text).toContain('{"hb", P_HUGETLB, 9, -1, 0, 0, PROT_READ | PROT_WRITE, NULL, 0, 0}');
    expect(text).toContain('{"m", P_BASE, 0, 0, 0, 1, PROT_READ | PROT_WRITE, NULL, 0, 0}');
    for (const probe of ['need_thp(9);', 'need_hugetlb(9, 3);', 'need_uring();', 'need_aio();'])
      expect(text).toContain(probe);
    expect(text).toContain('#define NEED_ODIRECT 1');
    expect(text).toContain('#define DEFAULT_RUNS 7');
  });

  it('states each condition over the shared registers and observations', () => {
    expect(text).toContain(
      'return (strcmp(S->reg[0], "X") == 0) && ((strcmp(S->mem[0], "A") != 0) || (strcmp(S->disk[0], "A") == 0));',
    );
    expect(text).toContain('return !(strcmp(S->reg[5], "EFAULT") == 0);');
    expect(text).toMatch(/cond_forall\[\] = \{\n\t0,\n\t1,\n\}/);
  });

  it.skipIf(!HAVE_CC)('compiles without a warning', () => {
    expect(syntaxCheck(text)).toBe('');
  });
});

describe('the built-in library', () => {
  const loaded = loadScenarios(libraryFiles());
  const all: readonly ParsedScenario[] = loaded.ok ? loaded.scenarios : [];
  const exportable = all.filter((s) => refusals(s.scenario).length === 0);

  it('has scenarios export-c accepts', () => {
    expect(exportable.length).toBeGreaterThan(0);
  });

  it.skipIf(!HAVE_CC).each(exportable.map((s) => [s.scenario.id, s] as const))(
    'exports %s as a program that compiles without a warning',
    (_, s) => {
      expect(syntaxCheck(cProgram(s.scenario, { runs: 1, schedules: [] }))).toBe('');
    },
  );
});

describe('cString', () => {
  it('escapes quotes, backslashes and every byte outside printable ASCII', () => {
    expect(cString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(cString('é?\n')).toBe('"\\303\\251\\077\\012"');
  });
});
