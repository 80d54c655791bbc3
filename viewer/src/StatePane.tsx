import { FolioTable } from './FolioTable.js';
import { ObjectTables } from './ObjectTables.js';
import { PteTable } from './PteTable.js';
import type { Run } from './state.js';

/** Every element kind the World holds at the step, changed cells marked. */
export function StatePane({ run, step }: { readonly run: Run; readonly step: number }) {
  return (
    <>
      <FolioTable run={run} step={step} />
      <PteTable run={run} step={step} />
      <ObjectTables run={run} step={step} />
    </>
  );
}
