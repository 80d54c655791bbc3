import { describe, expect, it } from 'vitest';
import type { BisectReport, PreventReport } from '../../src/report/bisect.js';
import { cli } from './helpers.js';

function json<T>(key: 'bisect' | 'prevent', ...argv: string[]): T {
  const r = cli(...argv, '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as Record<string, T>)[key] as T;
}

const policiesOf = (g: BisectReport['groups'][number]): string[] => (g.culprits ?? []).map((s) => s.policy);

describe('pinlab bisect', () => {
  it('names the DIO extraction policy and its v6.5 commit for dio-read-fork, with the bio flags it needs', () => {
    const r = json<BisectReport>(
      'bisect',
      'bisect',
      'scenarios/dio-read-fork.pin',
      '--good',
      'v6.5',
      '--bad',
      'v6.4',
    );
    const targets = r.groups.flatMap((g) => g.targets);
    // Both conditions and the invariant, on each of the four DIO paths.
    expect(targets).toHaveLength(12);
    for (const g of r.groups) {
      expect(policiesOf(g)).toEqual(['dio.extract', 'bio.pageFlags']);
      expect(g.without.map((w) => w.change.policy)).toEqual(['dio.extract', 'bio.pageFlags']);
    }
    const extract = r.groups[0]?.culprits?.[0];
    expect(extract).toMatchObject({ from: 'get', to: 'pin' });
    expect(extract?.sources).toEqual([
      expect.objectContaining({
        where: 'v6.5',
        commit: expect.stringContaining(
          'block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages (a7e689dd1c06)',
        ) as unknown,
      }),
    ]);
  });

  it('says in text that the two changes are needed together, and what each alone gives', () => {
    const r = cli(
      'bisect',
      'scenarios/dio-read-fork.pin',
      '--good',
      'v6.5',
      '--bad',
      'v6.4',
      '--condition',
      'sync-parent-lost',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('flipped by 2 policy changes together');
    expect(r.out).toContain('    dio.extract: get -> pin\n');
    expect(r.out).toContain('    without bio.pageFlags=pinned: never, but counter-mismatch fires');
    expect(r.out).not.toContain('async-parent-lost');
  });

  it('names the v5.9 do_wp_page() change for vmsplice-child-unmap[page=base] between v5.4 and v5.10', () => {
    const r = json<BisectReport>(
      'bisect',
      'bisect',
      'scenarios/vmsplice-child-unmap.pin',
      '--good',
      'v5.10',
      '--bad',
      'v5.4',
      '--condition',
      'leak',
    );
    // The THP form still leaks on v5.10 (do_huge_pmd_wp_page() by mapcount): nothing to bisect.
    expect(r.groups.flatMap((g) => g.targets)).toEqual([
      { scenario: 'vmsplice-child-unmap[page=base]', condition: 'leak', bad: 'sometimes', good: 'never' },
    ]);
    expect(r.groups[0]?.culprits).toEqual([
      {
        policy: 'cow.reuse',
        from: 'mapcount',
        to: 'refcount',
        sources: [
          { where: 'v5.9', value: 'refcount', commit: 'mm: do_wp_page() simplification (09854ba94c6a)' },
        ],
      },
    ]);
    // v5.8's forced COW break in GUP came and went inside the range.
    expect(r.roundTrips.map((s) => s.policy)).toEqual(['gup.forceCowBreak']);
  });

  it('names v5.8 forced COW break when the good kernel is v5.8', () => {
    const r = json<BisectReport>(
      'bisect',
      'bisect',
      'scenarios/vmsplice-child-unmap.pin',
      '--good',
      'v5.8',
      '--bad',
      'v5.4',
      '--condition',
      'leak',
    );
    expect(r.groups.map(policiesOf)).toEqual([['gup.forceCowBreak']]);
  });
});

describe('pinlab prevent', () => {
  it("finds both the v6.5 fix and howells-v8's bio flags for dio-read-fork on v6.4", () => {
    const r = json<PreventReport>('prevent', 'prevent', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4');
    expect(r.maxSize).toBe(2);
    expect(r.targets).toHaveLength(12);
    expect(r.sets.map((s) => s.set)).toEqual([
      [
        { policy: 'dio.extract', value: 'pin' },
        { policy: 'bio.pageFlags', value: 'pinned' },
      ],
      [
        { policy: 'dio.extract', value: 'pin' },
        { policy: 'bio.pageFlags', value: 'reffed-pinned' },
      ],
    ]);
    expect(r.sets[0]?.profiles).toContain('v6.5');
    expect(r.sets[1]?.profiles).toEqual(['howells-v8']);
    // Every other library scenario is judged under each set, none of the file's own.
    for (const s of r.sets) {
      expect(s.library.length).toBeGreaterThan(0);
      expect(s.library.some((v) => v.scenario.startsWith('dio-read-fork'))).toBe(false);
      expect(new Set(s.library.map((v) => v.scenario.split('[')[0]))).toContain('vmsplice-child-unmap');
    }
  });

  it('says the bound in text, and finds a set that prevents every instance', () => {
    const r = cli(
      'prevent',
      'scenarios/vmsplice-child-unmap.pin',
      '--kernel',
      'v5.4',
      '--condition',
      'leak',
      '--max-size',
      '1',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('searched every set of at most 1 what-if values');
    // cow.reuse=refcount alone leaves the THP form leaking: only v5.8's forced COW break stops both.
    expect(r.out).toMatch(/^1\. gup\.forceCowBreak=on {2}\(as in v5\.8\)$/m);
  });
});

describe('bisect and prevent on bad input: one line, exit 2', () => {
  it.each([
    [
      ['bisect', 'scenarios/dio-read-fork.pin', '--good', 'v6.55', '--bad', 'v6.4'],
      "pinlab bisect: unknown kernel 'v6.55'",
    ],
    [['bisect', 'scenarios/dio-read-fork.pin', '--bad', 'v6.4'], 'pinlab bisect: give --good KERNEL'],
    [
      ['bisect', 'scenarios/dio-read-fork.pin', '--good', 'v6.5', '--bad', 'v6.4', '--condition', 'nope'],
      "pinlab bisect: unknown condition 'nope'",
    ],
    [['prevent', 'scenarios/dio-read-fork.pin', '--kernel', 'v9'], "pinlab prevent: unknown kernel 'v9'"],
    [
      ['prevent', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4', '--condition', 'leak'],
      "pinlab prevent: unknown condition 'leak'",
    ],
    [['prevent', '--kernel', 'v6.4'], 'pinlab prevent: give exactly one scenario file'],
  ])('%j', (argv, message) => {
    const r = cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^[^\n]+\n$/);
    expect(r.err.startsWith(message)).toBe(true);
  });
});
