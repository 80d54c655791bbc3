import { describe, expect, it } from 'vitest';
import { EFAULT } from '../../../../src/model/include/errno.js';
import { getUserPages } from '../../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../../src/model/mm/memory/fault.js';
import { RELEASES } from '../../../../src/model/profile/profiles.js';
import { VM_FAULT_SIGSEGV } from '../../../../src/model/include/mm_types.js';
import type { MappingSpec } from '../../../../src/model/engine/program.js';
import { bench } from '../../builders.js';

const map = (read: boolean, write: boolean): MappingSpec => ({
  name: 'buf',
  backing: { type: 'anon' },
  shared: false,
  page: { kind: 'base' },
  read,
  write,
});

/**
 * x86's access_error() (5.10.262 arch/x86/mm/fault.c:1064, 6.1.176 :1105, 6.12.117 :1111, 7.2.13
 * :1118) lets a load fault in any VMA that vma_is_accessible() (read, write or exec), and x86 has no
 * write-only PTE: a PROT_WRITE mapping is readable by the CPU. The model raised SIGSEGV on a load from
 * it. GUP is stricter: check_vma_flags() refuses a read without VM_READ (and FOLL_FORCE).
 */
describe('a load from PROT_WRITE memory (x86-64)', () => {
  it.each(RELEASES)('faults in the zero page; after a store it reads the store (%s)', (r) => {
    const b = bench(r, [map(false, true)]);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', folio: b.w.zeroPage, writable: false });
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    const f = b.folio('buf');
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(b.folio('buf').id).toBe(f.id);
  });
  it.each(RELEASES)('PROT_NONE still faults with SIGSEGV (%s)', (r) => {
    const b = bench(r, [map(false, false)]);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(VM_FAULT_SIGSEGV);
    expect(b.vma('buf').pte.kind).toBe('none');
  });
  it.each(RELEASES)('get_user_pages() without FOLL_WRITE still refuses it (%s)', (r) => {
    const b = bench(r, [map(false, true)]);
    expect(getUserPages(b.ctx, b.w, b.at('buf'), 0).ret).toBe(-EFAULT);
  });
});
