import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareRun, compileExport, refusedRow, scenarioRow, type RealRow } from '../cli/real-rows.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../model/profile/profiles.js';
import type { ParsedScenario } from '../scenario/index.js';
import { COW } from '../selftests/cow/index.js';
import { DEFAULT_GUP_LONGTERM_SETUP, gupLongtermSelftest } from '../selftests/gup_longterm/index.js';
import { runSuite, type Row } from '../suite/run.js';
import { dependsOn, download, imagePackages, suiteApt, type Archives, type Deb } from './apt.js';
import { cpioArchive, type CpioEntry } from './cpio.js';
import { initScript, LAB_DISKS, type PlanItem } from './init.js';
import { FALLBACK_SELFTEST_SOURCE, LAB_KERNELS, type LabKernel } from './kernels.js';
import { kmodPackages, kmodPresent } from './kmod-hook.js';
import { buildKmod, headersCompiler, KMOD_FILE } from './kmod.js';
import { suiteChroot, withProc } from './chroot.js';
import { loadOrder, moduleBytes, moduleFiles, VM_MODULES } from './modules.js';
import { parseResults, vmHugetlbPages, type Section } from './results.js';
import { compareSelftest, treeRelease, type SelftestComparison } from './selftest-compare.js';
import { buildSelftests, type SelftestProgram } from './selftest-build.js';
import { boot, chooseAccel, makeDisks } from './vm.js';

export interface LabOptions {
  /** Packages, unpacked images and built selftests, kept between runs. */
  readonly cache: string;
  /** This run's scratch directory. */
  readonly work: string;
  readonly runs: number;
  readonly selftests: readonly SelftestProgram[];
  readonly scenarios: readonly ParsedScenario[];
  /** The repository (for lab/kmod). */
  readonly repo: string;
  readonly archives: Archives;
  readonly progress: (line: string) => void;
  /** Where to write each selftest's real output as `<program>-<kernel>-lab.ktap`, if anywhere. */
  readonly saveSelftests?: string;
}

/** A condition's row on one of the lab's disks (`-` for a scenario refused before any run). */
export interface LabRow extends RealRow {
  readonly disk: string;
}

export interface KernelResult {
  readonly kernel: string;
  readonly profile: string;
  readonly status: 'ran' | 'skipped';
  readonly why: string;
  readonly packages: readonly { readonly name: string; readonly version: string }[];
  readonly accel: string;
  readonly uname: string | null;
  readonly seconds: number;
  readonly runs: number;
  readonly kmod: string;
  readonly notes: readonly string[];
  readonly rows: readonly LabRow[];
  readonly selftests: readonly (SelftestComparison & { readonly tree: string })[];
}

/** Per program: a minute, and generous room per run under TCG (measured: about 45 ms a run). */
function programLimit(runs: number): number {
  return 60 + Math.ceil(runs * 0.5);
}
const SELFTEST_LIMIT = 900;

/**
 * gup_longterm in the lab's VM: its "tmpfile" is glibc's tmpfile() in P_tmpdir, /tmp (TMPDIR does not
 * move it), a tmpfs there (init.ts); its "local tmpfile" is in the working directory, the ext4 disk.
 */
export const LAB_GUP_LONGTERM = gupLongtermSelftest({ ...DEFAULT_GUP_LONGTERM_SETUP, tmpfileFs: 'shmem' });
const BOOT_ALLOWANCE = 300;

/** Unpack the image's packages into one tree, named after the first (kept in the cache). */
function unpack(debs: readonly Deb[], cache: string): string {
  const dir = join(cache, 'unpacked', basename(debs[0]?.file ?? 'none', '.deb'));
  if (!existsSync(join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    for (const d of debs)
      if (spawnSync('dpkg-deb', ['-x', d.file, dir]).status !== 0)
        throw new Error(`dpkg-deb -x ${d.file} failed`);
    writeFileSync(join(dir, '.done'), '');
  }
  return dir;
}

/**
 * The image's kernel, its modules tree and version: /boot/vmlinuz-<version> and /lib/modules (Debian
 * 13 moved /lib to /usr/lib; sid's linux-binary package puts the kernel in its modules directory).
 */
function imageParts(root: string): { vmlinuz: string; modules: string; version: string } {
  const base = ['lib/modules', 'usr/lib/modules'].map((d) => join(root, d)).find((d) => existsSync(d));
  const version = base === undefined ? undefined : readdirSync(base)[0];
  if (base === undefined || version === undefined) throw new Error(`no modules tree in ${root}`);
  const vmlinuz = [join(root, 'boot', `vmlinuz-${version}`), join(base, version, 'vmlinuz')].find((f) =>
    existsSync(f),
  );
  if (vmlinuz === undefined) throw new Error(`no kernel for ${version} in ${root}`);
  return { vmlinuz, modules: join(base, version), version };
}

/** /bin/busybox of Debian's busybox-static (a dynamically linked one cannot be the initramfs's shell). */
function staticBusybox(): Buffer | string {
  const file = '/bin/busybox';
  if (!existsSync(file)) return 'no /bin/busybox (apt-get install busybox-static)';
  const bytes = readFileSync(file);
  return bytes.includes('/lib64/ld-linux')
    ? '/bin/busybox is not statically linked (install busybox-static)'
    : bytes;
}

interface Program {
  readonly scenario: ParsedScenario;
  readonly model: readonly Row[];
  readonly binary: string;
}

function buildPrograms(opts: LabOptions, profile: KernelProfile, dir: string, rows: LabRow[]): Program[] {
  const out: Program[] = [];
  opts.scenarios.forEach((s, i) => {
    const refused = refusedRow(s);
    if (refused !== null) {
      rows.push({ ...refused, disk: '-' });
      return;
    }
    const pdir = join(dir, `p${i}`);
    mkdirSync(pdir, { recursive: true });
    const prog = compileExport(s, profile, opts.runs, pdir, ['-static']);
    if (prog.error !== null) rows.push({ ...scenarioRow(s, 'error', prog.error), disk: '-' });
    else out.push({ scenario: s, model: runSuite([s], [profile]), binary: prog.binary });
  });
  return out;
}

function sectionFailure(sec: Section | undefined): string | null {
  if (sec === undefined) return 'it never ran (the VM stopped first)';
  if (sec.status === null) return 'it never ended (the VM stopped)';
  if (sec.status === 137) return 'killed at its time limit';
  return sec.status === 0 ? null : `exit ${sec.status}`;
}

interface Packages {
  readonly image: Deb;
  /** Where the image package is a metapackage (sid's 7.2): its linux-binary-* and linux-modules-*. */
  readonly imageParts: readonly Deb[];
  readonly sources: readonly { readonly kernel: LabKernel; readonly deb: Deb }[];
  readonly headers: readonly Deb[];
}

function fetchPackages(k: LabKernel, opts: LabOptions): Packages | string {
  const debs = join(opts.cache, 'debs');
  const apt = suiteApt(opts.cache, k, opts.archives);
  if (typeof apt === 'string') return apt;
  const tried: string[] = [];
  let image: Deb | null = null;
  for (const name of imagePackages(apt, k)) {
    const d = download(apt, name, debs);
    if (typeof d !== 'string') {
      image = d;
      break;
    }
    tried.push(d);
  }
  if (image === null)
    return tried.at(-1) ?? `no linux-image-${k.abiPrefix}*-cloud-amd64(-unsigned) in ${k.suite}`;
  opts.progress(`${k.name}: ${image.name} ${image.version}`);
  const sources: { kernel: LabKernel; deb: Deb }[] = [];
  if (opts.selftests.length > 0) {
    const fallback = LAB_KERNELS.find((x) => x.source === FALLBACK_SELFTEST_SOURCE);
    for (const sk of [k, ...(fallback !== undefined && fallback !== k ? [fallback] : [])]) {
      const a = sk === k ? apt : suiteApt(opts.cache, sk, opts.archives);
      const src = typeof a === 'string' ? a : download(a, sk.source, debs);
      if (typeof src === 'string') return src;
      sources.push({ kernel: sk, deb: src });
    }
  }
  const headers: Deb[] = [];
  if (kmodPresent(opts.repo))
    for (const p of kmodPackages(apt, image.name)) {
      const d = download(apt, p, debs);
      if (typeof d !== 'string') headers.push(d);
    }
  const imageParts: Deb[] = [];
  for (const part of dependsOn(apt, image.name, ['linux-binary-', 'linux-modules-'])) {
    const d = download(apt, part, debs);
    if (typeof d === 'string') return d;
    imageParts.push(d);
  }
  return { image, imageParts, sources, headers };
}

function kmodModule(
  k: LabKernel,
  opts: LabOptions,
  pkgs: Packages,
  version: string,
  dir: string,
): { ko: string | null; why: string } {
  if (!kmodPresent(opts.repo)) return { ko: null, why: 'absent: no lab/kmod in the repository' };
  if (pkgs.headers.length === 0) return { ko: null, why: 'absent: no headers package' };
  const root = join(opts.cache, 'unpacked', `headers-${version}`);
  for (const h of pkgs.headers) spawnSync('dpkg-deb', ['-x', h.file, root]);
  const here = buildKmod(opts.repo, root, version, dir);
  if (typeof here === 'string') return { ko: here, why: 'built' };
  if (!here.why.includes('chroot')) return { ko: null, why: `absent: ${here.why}` };
  // The headers want the compiler or C library of the kernel's own release: build in a root of it.
  const variables = join(root, 'usr', 'src', `linux-headers-${version}`, '.kernelvariables');
  const cc = (existsSync(variables) ? headersCompiler(readFileSync(variables, 'utf8')) : null) ?? 'gcc';
  const chroot = suiteChroot(opts.cache, k.suite, cc, opts.archives.main, (l) =>
    opts.progress(`${k.name}: ${l}`),
  );
  if (typeof chroot !== 'string') return { ko: null, why: `absent: ${here.why}; ${chroot.why}` };
  const built = withProc(chroot, () => buildKmod(opts.repo, root, version, dir, { chroot }));
  return typeof built === 'string'
    ? { ko: built, why: `built in a chroot of ${basename(chroot)}` }
    : { ko: null, why: `absent: ${built.why}` };
}

/** A built selftest program and the source tree (`linux-source-X.Y VERSION`) it was built from. */
interface BuiltSelftest {
  readonly binary: string;
  readonly tree: string;
}

/**
 * Each wanted selftest from the kernel's own tree, else from the 6.12 one: before v6.2 a tree has
 * no cow.c and before v6.5 no gup_longterm.c, so 5.10 and 6.1 run the 6.12 tree's programs while
 * 6.12 and 7.2 run their own (each with its own strings, which the model follows: --selftests).
 */
function selftestPrograms(
  opts: LabOptions,
  pkgs: Packages,
): { programs: Map<SelftestProgram, BuiltSelftest>; why: string } {
  const programs = new Map<SelftestProgram, BuiltSelftest>();
  const failed: string[] = [];
  for (const { kernel, deb } of pkgs.sources) {
    const wanted = opts.selftests.filter((t) => !programs.has(t));
    if (wanted.length === 0) break;
    const built = buildSelftests(
      deb.file,
      kernel.source,
      join(opts.cache, 'selftests', basename(deb.file, '.deb')),
      wanted,
    );
    for (const [t, binary] of built.programs)
      programs.set(t, { binary, tree: `${kernel.source} ${deb.version}` });
    failed.push(...built.failed);
  }
  return { programs, why: failed.join('; ') };
}

/** Get, build, boot and compare one lab kernel. Never throws for a kernel that cannot run: a skip. */
export function runKernel(k: LabKernel, opts: LabOptions): KernelResult {
  const started = Date.now();
  const base = {
    kernel: k.name,
    profile: k.profile,
    packages: [] as { name: string; version: string }[],
    accel: '-',
    uname: null,
    runs: opts.runs,
    kmod: '-',
    notes: [] as string[],
    rows: [] as LabRow[],
    selftests: [],
  };
  const skip = (why: string): KernelResult => ({
    ...base,
    status: 'skipped',
    why,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  const profile = kernelProfile(k.profile);
  if (isProfileError(profile)) return skip(`no profile ${k.profile}`);
  opts.progress(`${k.name}: packages from ${k.suite}`);
  const pkgs = fetchPackages(k, opts);
  if (typeof pkgs === 'string') return skip(pkgs);
  base.packages.push(
    ...[pkgs.image, ...pkgs.imageParts, ...pkgs.sources.map((s) => s.deb), ...pkgs.headers].map((d) => ({
      name: d.name,
      version: d.version,
    })),
  );
  const busybox = staticBusybox();
  if (typeof busybox === 'string') return skip(busybox);
  const dir = join(opts.work, k.name);
  mkdirSync(dir, { recursive: true });
  const img = imageParts(unpack([pkgs.image, ...pkgs.imageParts], opts.cache));
  const kmod = kmodModule(k, opts, pkgs, img.version, dir);
  base.kmod = kmod.why;
  opts.progress(`${k.name}: compiling ${opts.scenarios.length} scenarios statically`);
  const programs = buildPrograms(opts, profile, dir, base.rows);
  const st =
    opts.selftests.length > 0
      ? selftestPrograms(opts, pkgs)
      : { programs: new Map<SelftestProgram, BuiltSelftest>(), why: '' };
  if (st.why !== '') base.notes.push(`selftests: ${st.why}`);
  const files = moduleFiles(img.modules);
  const modules = loadOrder(VM_MODULES, files);
  const plan: PlanItem[] = [
    ...programs.map((_, i) => ({
      id: `p${i}`,
      args: [String(opts.runs)],
      disks: [...LAB_DISKS],
      limitSeconds: programLimit(opts.runs),
    })),
    ...opts.selftests
      .filter((t) => st.programs.has(t))
      .map((t) => ({ id: t, args: [], disks: [LAB_DISKS[0]], limitSeconds: SELFTEST_LIMIT })),
  ];
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'tmp', 'mnt', 'lab', 'lab/bin', 'lab/modules'].map((path) => ({
      path,
      kind: 'dir' as const,
    })),
    { path: 'bin/busybox', kind: 'file', data: busybox, executable: true },
    {
      path: 'init',
      kind: 'file',
      data: Buffer.from(initScript(plan, modules, kmod.ko !== null)),
      executable: true,
    },
    ...modules.map((m) => ({
      path: `lab/modules/${m}.ko`,
      kind: 'file' as const,
      data: moduleBytes(files.get(m) ?? ''),
    })),
    ...programs.map((p, i) => ({
      path: `lab/bin/p${i}`,
      kind: 'file' as const,
      data: readFileSync(p.binary),
      executable: true,
    })),
    ...[...st.programs].map(([t, f]) => ({
      path: `lab/bin/${t}`,
      kind: 'file' as const,
      data: readFileSync(f.binary),
      executable: true,
    })),
    ...(kmod.ko !== null
      ? [{ path: `lab/${KMOD_FILE}`, kind: 'file' as const, data: readFileSync(kmod.ko) }]
      : []),
  ];
  const initrd = join(dir, 'initramfs.cpio');
  writeFileSync(initrd, cpioArchive(entries));
  const disks = makeDisks(dir);
  if (disks !== null) return skip(disks);
  const accel = chooseAccel(img.vmlinuz, initrd, dir, k.machine);
  base.accel = accel.accel;
  opts.progress(`${k.name}: booting ${img.version} (${accel.accel}: ${accel.why}); ${plan.length} programs`);
  const limit = BOOT_ALLOWANCE + plan.reduce((t, p) => t + p.limitSeconds * p.disks.length * 0.4, 0);
  const ran = boot(img.vmlinuz, initrd, dir, accel.accel, Math.ceil(limit) * 1000, false, k.machine);
  const vm = parseResults(ran.results);
  const result = { ...base, uname: vm.uname, notes: [...base.notes, ...vm.notes] };
  if (ran.status !== 'done')
    return { ...skip(`${ran.status}: ${ran.why}`), uname: vm.uname, notes: result.notes };
  const section = (id: string, disk: string): Section | undefined =>
    vm.sections.find((s) => s.id === id && s.disk === disk);
  programs.forEach((p, i) => {
    for (const disk of LAB_DISKS) {
      const sec = section(`p${i}`, disk);
      result.rows.push(
        ...compareRun(p.scenario, p.model, sec?.output ?? '', sectionFailure(sec)).map((r) => ({
          ...r,
          disk,
        })),
      );
    }
  });
  const tests = { cow: COW, gup_longterm: LAB_GUP_LONGTERM } as const;
  // The lab's module answers /sys/kernel/debug/gup_test where the kernel has none (lab/kmod).
  const standIn = vm.notes.includes('kmod loaded');
  const selftests = opts.selftests.flatMap((t) => {
    const built = st.programs.get(t);
    if (built === undefined) return [];
    const output = section(t, LAB_DISKS[0])?.output ?? '';
    if (opts.saveSelftests !== undefined)
      writeFileSync(join(opts.saveSelftests, `${t}-${k.name}-lab.ktap`), `${output}\n`);
    return [
      {
        ...compareSelftest(tests[t], profile, output, {
          gupTestStandIn: standIn,
          selftestsOf: treeRelease(built.tree),
          hugetlbPages: vmHugetlbPages(vm.notes),
        }),
        tree: built.tree,
      },
    ];
  });
  return { ...result, selftests, status: 'ran', why: '', seconds: Math.round((Date.now() - started) / 1000) };
}
