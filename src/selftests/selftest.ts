import type { KernelProfile } from '../model/profile/profiles.js';
import type { Release } from '../model/profile/release.js';
import type { Ksft } from './kselftest.js';

/** The machine a selftest runs on: what the real test detects at start-up, or is told by its user. */
export interface SelftestMachine {
  /** Enabled anonymous THP sizes in KiB (the PMD size included), ascending. */
  readonly thpSizesKb: readonly number[];
  /** The PMD size in KiB, or 0 when THP is not available. */
  readonly pmdSizeKb: number;
  /** hugetlb page sizes in KiB the kernel offers (/sys/kernel/mm/hugepages/hugepages-<N>kB), ascending. */
  readonly hugetlbSizesKb: readonly number[];
  /**
   * Free hugetlb pages per size in KiB, once the test asked for them (from the 7.2 tree cow.c's
   * hugetlb_setup() raises nr_hugepages; older ones take what is free): `--hugetlb-pages KIB:N`. A size
   * not listed has as many as any test needs.
   */
  readonly hugetlbPages: Readonly<Record<number, number>>;
  readonly swap: boolean;
  readonly hugeZeropage: boolean;
  /** /sys/kernel/debug/gup_test opens: debugfs is mounted and the kernel has CONFIG_GUP_TEST. */
  readonly gupTest: boolean;
  /**
   * The lab's module (lab/kmod) answers /sys/kernel/debug/gup_test with the PIN_LONGTERM_TEST ioctls,
   * whatever the release's own gup_test has: the gup_test cases run rather than skip
   * (`--gup-test-stand-in`).
   */
  readonly gupTestStandIn: boolean;
  /**
   * The release whose selftests the program was built from (`--selftests vX`: an older cow.c run on a
   * newer kernel, say), or null for the kernel's own.
   */
  readonly selftestsOf: Release | null;
}

/** The defaults of `pinlab cow` / `pinlab gup-longterm`: x86-64 with every feature on. */
export const DEFAULT_MACHINE: SelftestMachine = {
  thpSizesKb: [16, 32, 64, 128, 256, 512, 1024, 2048],
  pmdSizeKb: 2048,
  hugetlbSizesKb: [2048, 1048576],
  hugetlbPages: {},
  swap: true,
  hugeZeropage: true,
  gupTest: true,
  gupTestStandIn: false,
  selftestsOf: null,
};

/** A kernel selftest program pinlab reproduces: runs every case on the model of one release. */
export interface Selftest {
  /** As the CLI names it: `cow`, `gup-longterm`. */
  readonly name: string;
  /** The program it reproduces, and the tree its test list and strings come from. */
  readonly program: string;
  run(profile: KernelProfile, machine: SelftestMachine): Ksft;
}
