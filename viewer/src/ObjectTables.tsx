import { OBJECT_KINDS, objectRows, type Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
}

/**
 * The bios (their flags: BIO_NO_PAGE_REF, BIO_PAGE_PINNED, ...), direct-I/O control blocks, pipes and
 * io_uring buffers at the selected step, one table per kind that has any; changed cells marked.
 */
export function ObjectTables({ run, step }: Props) {
  return (
    <>
      {OBJECT_KINDS.map((kind) => {
        const rows = objectRows(run, step, kind);
        if (rows.length === 0) return null;
        return (
          <section class="objects" aria-label={kind.title} key={kind.title}>
            <h2>{kind.title}</h2>
            <table>
              <thead>
                <tr>
                  {kind.columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <th scope="row">{r.key}</th>
                    {r.cells.map((c, i) => (
                      <td key={kind.columns[i + 1]} class={r.changed[i] ? 'changed' : undefined}>
                        {c === '' ? '—' : c}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
