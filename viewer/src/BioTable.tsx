import { bioRows, type BioField, type BioRow, type Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
}

function Cell({ row, field }: { row: BioRow; field: BioField }) {
  return <td class={row.changed.has(field) ? 'changed' : undefined}>{row[field] || '—'}</td>;
}

/**
 * The bios at the selected step: their state and the flags that say how their pages are released
 * (BIO_NO_PAGE_REF, BIO_PAGE_PINNED), next to how each page was grabbed; changed cells marked.
 */
export function BioTable({ run, step }: Props) {
  const rows = bioRows(run, step);
  if (rows.length === 0) return null;
  return (
    <section class="bios" aria-label="bios">
      <h2>Bios</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">bio</th>
            <th scope="col">op</th>
            <th scope="col">state</th>
            <th scope="col">flags</th>
            <th scope="col">pages</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-bio={r.id}>
              <th scope="row">{r.id}</th>
              <td>
                {r.op}
                {r.dio !== null ? ` (dio ${r.dio})` : ''}
              </td>
              <Cell row={r} field="state" />
              <Cell row={r} field="flags" />
              <Cell row={r} field="pages" />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
