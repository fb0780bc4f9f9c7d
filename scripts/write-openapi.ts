/**
 * Writes docs/openapi.json from the zod schemas (`npm run openapi`). The unit test
 * test/unit/api/openapi-document.test.ts fails while the committed file differs from what this writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPENAPI_FILE, renderOpenApiJson } from '../lib/openapi';

const file = path.resolve(__dirname, '..', OPENAPI_FILE);
fs.writeFileSync(file, renderOpenApiJson());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
