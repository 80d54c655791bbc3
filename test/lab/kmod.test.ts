import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildKmod,
  debianCommonInclude,
  headersCompiler,
  kmodMakeArgs,
  vermagic,
} from '../../src/lab/kmod.js';

const REPO = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'pinlab-kmod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading Debian headers packages', () => {
  it('finds the common Makefile a flavour tree includes by an absolute path', () => {
    expect(debianCommonInclude('include /usr/src/linux-headers-6.1.0-50-common/Makefile\n')).toBe(
      '/usr/src/linux-headers-6.1.0-50-common/Makefile',
    );
    expect(debianCommonInclude('# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\n')).toBeNull();
  });

  it('reads the compiler the kernel was built with', () => {
    const vars =
      'override ARCH = x86\nCC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-14\n';
    expect(headersCompiler(vars)).toBe('gcc-14');
    expect(headersCompiler('override ARCH = x86\n')).toBeNull();
  });

  it('reads the release a module was built for from its modinfo', () => {
    const ko = Buffer.from('\0\0license=GPL\0vermagic=6.12.117+deb13-cloud-amd64 SMP preempt mod_unload \0');
    expect(vermagic(ko)).toBe('6.12.117+deb13-cloud-amd64');
    expect(vermagic(Buffer.from('no modinfo'))).toBeNull();
  });

  it('runs kbuild as make -C <tree> M=<dir> modules, reading an unpacked common Makefile with -f', () => {
    expect(kmodMakeArgs('/h/tree', '/w/kmod', { commonMakefile: null, noBtf: false })).toEqual([
      '-C',
      '/h/tree',
      'M=/w/kmod',
      'modules',
    ]);
    expect(kmodMakeArgs('/h/tree', '/w/kmod', { commonMakefile: '/h/common/Makefile', noBtf: true })).toEqual(
      ['-C', '/h/tree', '-f', '/h/common/Makefile', 'M=/w/kmod', 'CONFIG_DEBUG_INFO_BTF_MODULES=', 'modules'],
    );
  });
});

describe('buildKmod before make runs', () => {
  /** A headers root with a flavour tree that includes its common tree, as Debian's packages unpack. */
  function fakeHeaders(name: string, cc: string, common: boolean): string {
    const root = join(dir, name);
    const src = join(root, 'usr', 'src');
    mkdirSync(join(src, 'linux-headers-9.9.0-1-cloud-amd64'), { recursive: true });
    writeFileSync(
      join(src, 'linux-headers-9.9.0-1-cloud-amd64', 'Makefile'),
      'include /usr/src/linux-headers-9.9.0-1-common/Makefile\n',
    );
    writeFileSync(
      join(src, 'linux-headers-9.9.0-1-cloud-amd64', '.kernelvariables'),
      `CC = $(CROSS_COMPILE)${cc}\n`,
    );
    if (common) {
      mkdirSync(join(src, 'linux-headers-9.9.0-1-common'), { recursive: true });
      writeFileSync(join(src, 'linux-headers-9.9.0-1-common', 'Makefile'), '');
    }
    return root;
  }

  it('says when the headers are not there', () => {
    expect(buildKmod(REPO, join(dir, 'none'), '9.9.0-1-cloud-amd64', join(dir, 'w0'))).toEqual({
      why: `no linux-headers-9.9.0-1-cloud-amd64/Makefile under ${join(dir, 'none')}`,
    });
  });

  it('says when the common headers package is missing', () => {
    const root = fakeHeaders('h1', 'gcc-12', false);
    expect(buildKmod(REPO, root, '9.9.0-1-cloud-amd64', join(dir, 'w1'))).toEqual({
      why: 'linux-headers-9.9.0-1-cloud-amd64 includes /usr/src/linux-headers-9.9.0-1-common/Makefile, which is missing',
    });
  });

  it('says when the kernel was built with a compiler this machine lacks', () => {
    const root = fakeHeaders('h2', 'gcc-999', true);
    expect(buildKmod(REPO, root, '9.9.0-1-cloud-amd64', join(dir, 'w2'))).toEqual({
      why: "the headers were made with gcc-999, which this machine lacks: build in a chroot of the kernel's Debian release",
    });
  });
});

/**
 * A real build where this machine has headers: PINLAB_KMOD_HEADERS=<root>:<version>[:<chroot>] (an
 * unpacked linux-headers-* root, as the lab keeps them), else the running kernel's installed headers.
 */
function realHeaders(): { root: string; version: string; chroot?: string } | string {
  const env = process.env.PINLAB_KMOD_HEADERS;
  if (env !== undefined && env !== '') {
    const [root = '', version = '', chroot] = env.split(':');
    return chroot === undefined ? { root, version } : { root, version, chroot };
  }
  const tree = `/usr/src/linux-headers-${release()}`;
  if (existsSync(join(tree, 'Makefile'))) return { root: '/', version: release() };
  return `no kernel headers here (no ${tree} for the running ${release()}; set PINLAB_KMOD_HEADERS=<root>:<version>[:<chroot>])`;
}

const headers = realHeaders();

describe('building the module for real', () => {
  it.skipIf(typeof headers === 'string')(
    typeof headers === 'string' ? `skipped: ${headers}` : `builds ${headers.version}`,
    () => {
      if (typeof headers === 'string') return;
      const o = headers.chroot === undefined ? {} : { chroot: headers.chroot };
      const ko = buildKmod(REPO, headers.root, headers.version, join(dir, 'real'), o);
      if (typeof ko !== 'string') throw new Error(ko.why);
      expect(vermagic(readFileSync(ko))).toBe(headers.version);
    },
  );
});
