import type { ComponentChildren } from 'preact';
import { folioRows, setFlags, type FolioField, type FolioRow, type Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
}

function Cell({ row, field, children }: { row: FolioRow; field: FolioField; children: ComponentChildren }) {
  return <td class={row.changed.has(field) ? 'changed' : undefined}>{children}</td>;
}

/** The folios the trace touches, with their counters at the selected step; changed cells marked. */
export function FolioTable({ run, step }: Props) {
  const rows = folioRows(run, step);
  return (
    <section class="folios" aria-label="folios">
      <h2>Folios</h2>
      <p class="legend">
        <span class="changed">changed by this step</span>{' '}
        <span class="touched">named by its kernel function</span>{' '}
        <span class="violated">named by a violation</span>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">folio</th>
            <th scope="col">kind</th>
            <th scope="col">refcount</th>
            <th scope="col">mapcount</th>
            <th scope="col">pincount</th>
            <th scope="col">flags</th>
            <th scope="col">contents</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              data-folio={r.id}
              class={[r.violated ? 'violated' : '', r.touched ? 'touched' : '', r.now?.freed ? 'freed' : '']
                .filter(Boolean)
                .join(' ')}
            >
              <th scope="row">{r.id}</th>
              {r.now ? (
                <>
                  <td>
                    {r.now.kind}
                    {r.now.order > 0 ? ` order ${r.now.order}` : ''}
                  </td>
                  <Cell row={r} field="refcount">
                    {r.now.refcount}
                  </Cell>
                  <Cell row={r} field="mapcount">
                    {r.now.mapcount}
                  </Cell>
                  <Cell row={r} field="pincount">
                    {r.now.pincount}
                  </Cell>
                  <Cell row={r} field="flags">
                    {[...setFlags(r.now), ...(r.now.freed ? ['FREED'] : [])].join(' ')}
                  </Cell>
                  <Cell row={r} field="data">
                    <code>{JSON.stringify(r.now.data)}</code>
                  </Cell>
                </>
              ) : (
                <td colSpan={6} class="absent">
                  not allocated yet
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
