import { pteRows, type Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
}

/** Each process's page-table entries for the scenario's buffers at the selected step. */
export function PteTable({ run, step }: Props) {
  return (
    <section class="ptes" aria-label="page tables">
      <h2>Page tables</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">process</th>
            <th scope="col">buffer</th>
            <th scope="col">entry</th>
          </tr>
        </thead>
        <tbody>
          {pteRows(run, step).map((r) => (
            <tr key={`${r.process}:${r.buffer ?? ''}`}>
              <th scope="row">{r.process}</th>
              <td>{r.buffer ?? '—'}</td>
              <td class={r.changed ? 'changed' : undefined}>{r.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
