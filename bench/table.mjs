// The fingerprint table alone, filled past 100 M states: what storing a state costs, and that the
// table neither crashes nor loses a state at that size. run.mjs --large starts it in its own process
// and reads one JSON line: {"states","bytes","ms","lost","peakRss"}.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { readFileSync } from 'node:fs';
import { FingerprintTable } from '../dist/check/fingerprint-table.js';

/** A 64-bit fingerprint of i (two murmur3 finalisers): distinct, spread like state keys. */
function key(i) {
  const f = (x) => {
    let h = x ^ (x >>> 16);
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return [f(i ^ 0x9e3779b9), f(Math.imul(i, 0x27d4eb2f) ^ 0x165667b1)];
}

const n = Number(process.argv[2] ?? 100_000_001);
const t = new FingerprintTable(4096, 2 ** 32);
const t0 = performance.now();
let refused = 0;
for (let i = 0; i < n; i++) {
  const [hi, lo] = key(i);
  if (t.add(hi, lo) !== 1) refused += 1;
}
const ms = performance.now() - t0;
let lost = 0;
for (let i = 0; i < n; i += 997) {
  const [hi, lo] = key(i);
  if (!t.has(hi, lo)) lost += 1;
}
const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  JSON.stringify({
    states: t.size,
    refused,
    bytes: t.bytes,
    ms,
    lost,
    peakRss: m ? Number(m[1]) * 1024 : null,
  }),
);
