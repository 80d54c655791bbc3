import { HPAGE_PMD_ORDER } from '../include/mm_types.js';
import type { Policies } from '../profile/policies/index.js';

/**
 * Whether an anonymous fault can allocate a THP of this order (null: the mapping asks for none): before v6.8 only
 * the PMD size exists (thp.anonOrders=pmd), so a smaller one (mTHP, `page=thp-pte`) is no memory the
 * release can have. Null when it can; else why not.
 * @kernel mm/memory.c:alloc_anon_folio
 */
export function anonOrderUnavailable(p: Policies, anon: boolean, thpOrder: number | null): string | null {
  if (!anon || thpOrder === null) return null;
  if (thpOrder === HPAGE_PMD_ORDER || p['thp.anonOrders'] === 'multi-size') return null;
  return `an anonymous THP smaller than the PMD size (mTHP) does not exist before v6.8 ("mm: thp: support allocation of anonymous multi-size THP")`;
}
