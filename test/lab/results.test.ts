import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResults, vmHugetlbPages } from '../../src/lab/results.js';
import { readResultsDisk } from '../../src/lab/vm.js';

describe('parseResults', () => {
  it('splits the results at their markers', () => {
    const text = [
      '# pinlab-lab: booted 6.1.0-50-cloud-amd64',
      '# pinlab-lab: kmod absent: not built',
      '# pinlab-lab: begin p0 ext4',
      'TAP version 13',
      'ok 1 lost # seen in 0/20 runs',
      '# pinlab-lab: end p0 ext4 0',
      '# pinlab-lab: begin p0 ext4-throttled',
      'not ok 1 lost # seen in 3/20 runs',
      '# pinlab-lab: end p0 ext4-throttled 137',
      '# pinlab-lab: begin cow ext4',
      'ok 1 No leak',
    ].join('\r\n');
    const r = parseResults(text);
    expect(r.uname).toBe('6.1.0-50-cloud-amd64');
    expect(r.notes).toEqual(['kmod absent: not built']);
    expect(r.sections).toEqual([
      { id: 'p0', disk: 'ext4', output: 'TAP version 13\nok 1 lost # seen in 0/20 runs', status: 0 },
      { id: 'p0', disk: 'ext4-throttled', output: 'not ok 1 lost # seen in 3/20 runs', status: 137 },
      { id: 'cow', disk: 'ext4', output: 'ok 1 No leak', status: null },
    ]);
  });

  it('knows a VM that never booted', () => {
    expect(parseResults('')).toEqual({ uname: null, notes: [], sections: [] });
  });
});

describe('readResultsDisk', () => {
  it('reads the text the VM wrote at the start of the disk, up to the zeros after it', () => {
    const work = mkdtempSync(join(tmpdir(), 'pinlab-results-'));
    try {
      expect(readResultsDisk(work)).toBe('');
      const text = '# pinlab-lab: booted 6.1.0\n# pinlab-lab: begin p0 ext4\nok 1 é\0 after a zero\n';
      writeFileSync(join(work, 'results.img'), Buffer.concat([Buffer.from(text), Buffer.alloc(4096)]));
      expect(readResultsDisk(work)).toBe(text);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('vmHugetlbPages', () => {
  it("reads the init's `hugetlb N` note: N pages of 2 MiB, none of 1 GiB", () => {
    expect(vmHugetlbPages(['kmod loaded', 'hugetlb 64'])).toEqual({ 2048: 64, 1048576: 0 });
    expect(vmHugetlbPages(['swap failed'])).toEqual({ 2048: 0, 1048576: 0 });
  });
});
