import { it } from 'vitest';
import { kernelProfile, isProfileError, RELEASES } from '../../src/model/profile/profiles.js';
import { runGupLongterm, DEFAULT_GUP_LONGTERM_SETUP } from '../../src/selftests/gup_longterm/index.js';
import { DEFAULT_MACHINE } from '../../src/selftests/selftest.js';
import { writeFileSync } from 'node:fs';

it('scratch', () => {
  for (const r of RELEASES) {
    const p = kernelProfile(r);
    if (isProfileError(p)) throw new Error('x');
    const k = runGupLongterm(p, DEFAULT_MACHINE, DEFAULT_GUP_LONGTERM_SETUP);
    writeFileSync(`/tmp/gl/${r}.ktap`, k.lines.join('\n') + '\n');
    const k2 = runGupLongterm(p, DEFAULT_MACHINE, { ...DEFAULT_GUP_LONGTERM_SETUP, gupTestConfigured: false });
    writeFileSync(`/tmp/gl/${r}-nogup.ktap`, k2.lines.join('\n') + '\n');
  }
}, 120000);
