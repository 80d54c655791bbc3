/**
 * The JSON documents pinlab's commands write besides the trace file (trace-file.ts): explain, diff,
 * bisect, prevent, list, replay, the selftests' runs and the lab's. Each is `{"pinlab": 1, "schemaVersion":
 * "1.x.y", ...}`; its JSON Schema is docs/schema/<name>.schema.json (report/document-schema.ts,
 * `npm run schema`). The minor of a version grows when fields are added, the major (with `pinlab`)
 * when a reader of the previous version would misread the document. No zod here: the CLI imports it.
 */
export const DOCUMENT_VERSIONS = {
  explain: '1.0.0',
  diff: '1.0.0',
  bisect: '1.0.0',
  prevent: '1.0.0',
  list: '1.0.0',
  replay: '1.0.0',
  selftest: '1.0.0',
  lab: '1.0.0',
} as const;

export type DocumentName = keyof typeof DOCUMENT_VERSIONS;

/** One command's JSON document: `pinlab`, its schema version, then `body`'s fields; indented, with a final newline. */
export function jsonDocument(name: DocumentName, body: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify({ pinlab: 1, schemaVersion: DOCUMENT_VERSIONS[name], ...body }, null, 2)}\n`;
}
