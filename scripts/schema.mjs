// Writes docs/schema/trace-file.schema.json from the zod schema of the built pinlab (npm run schema).
import { writeFileSync } from 'node:fs';
import { traceFileJsonSchema } from '../dist/report/schema.js';

writeFileSync('docs/schema/trace-file.schema.json', traceFileJsonSchema());
