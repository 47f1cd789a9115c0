import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, openApiDocument } from './openapi-document.js';

// `corepack pnpm --filter @igepay/server openapi`: writes server/openapi.json again.
writeFileSync(OPENAPI_FILE, await openApiDocument());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
