// Writes docs/schema/: the trace file's JSON Schema and each command document's, from the zod schemas
// of the built pinlab (npm run schema).
import { writeFileSync } from 'node:fs';
import { traceFileJsonSchema } from '../dist/report/schema.js';
import { DOCUMENT_SCHEMAS, documentJsonSchema } from '../dist/report/document-schema.js';

writeFileSync('docs/schema/trace-file.schema.json', traceFileJsonSchema());
for (const name of Object.keys(DOCUMENT_SCHEMAS))
  writeFileSync(`docs/schema/${name}.schema.json`, documentJsonSchema(name));
