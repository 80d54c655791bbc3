import { spawnSync } from 'node:child_process';
import { release, version } from 'node:os';
import { hostProfile, runHere } from '../cli/real.js';
import type { ParsedScenario } from '../scenario/index.js';
import type { KernelResult } from './kernel-run.js';

/** The lab's name of the machine's own kernel (`--kernels host`, `lab-host.json`). */
export const HOST_KERNEL = 'host';
/** The disk column of the host's rows: the programs' files are on the machine's own file system. */
export const HOST_DISK = 'host';

/**
 * The lab's row of the machine's own kernel: what `pinlab real` does (the exported programs run here,
 * compared with the profile of the running kernel), as a lab kernel's result so it is recorded with
 * the VM kernels. No package, no VM, no kernel-side runner.
 */
export function runHost(
  scenarios: readonly ParsedScenario[],
  runs: number,
  progress: (line: string) => void,
): KernelResult {
  const started = Date.now();
  const uname = release();
  const kernel = hostProfile(uname, version());
  const base = {
    kernel: HOST_KERNEL,
    packages: [],
    accel: 'native',
    uname,
    runs,
    kmod: 'absent: pinlab real runs processes only',
    selftests: [],
  };
  const seconds = (): number => Math.round((Date.now() - started) / 1000);
  if (typeof kernel === 'string')
    return { ...base, profile: '-', status: 'skipped', why: kernel, seconds: 0, notes: [], rows: [] };
  if (spawnSync('cc', ['--version']).error !== undefined)
    return {
      ...base,
      profile: kernel.profile.name,
      status: 'skipped',
      why: "no C compiler ('cc') on this machine",
      seconds: 0,
      notes: [],
      rows: [],
    };
  progress(`${HOST_KERNEL}: ${uname}, profile ${kernel.profile.name} (${kernel.why})`);
  const rows = runHere(scenarios, kernel.profile, runs, (t) => progress(`${HOST_KERNEL}: ${t.trimEnd()}`));
  const disk = (r: { readonly condition: string }): string => (r.condition === '-' ? '-' : HOST_DISK);
  return {
    ...base,
    profile: kernel.profile.name,
    status: 'ran',
    why: '',
    seconds: seconds(),
    notes: [`uname -v ${version()}`, `profile: ${kernel.why}`],
    rows: rows.map((r) => ({ ...r, disk: disk(r) })),
  };
}
