/**
 * An entry for `runEntry`: starts the server from the environment as `serve.ts` does and, once
 * it listens, prints which of the modules it has no use for before its first request were
 * loaded anyway (`MODULES {…}`).
 */
import { createRequire } from 'node:module';
import { runServer } from '../../src/bin/run-server.js';

await runServer(process.env);
const files = Object.keys(createRequire(import.meta.url).cache);
const loaded = {
  // Fastify's default validator (no route uses it: ours are zod's).
  ajv: files.some((file) => /[/\\]ajv[/\\]/.test(file)),
  // fast-json-stringify's compiler: a route's serializer is compiled on its first reply.
  serializerCompiler: files.some((file) => /[/\\]fast-json-stringify[/\\]index\.js$/.test(file)),
  // The static file server: the widget's sender loads with its first request, and the
  // dashboard's only where a password is set.
  staticFiles: files.some((file) => /[/\\]@fastify[/\\](static|send)[/\\]/.test(file)),
  // The multipart reader, for the first notification posted so.
  multipart: files.some((file) => /[/\\]@fastify[/\\]busboy[/\\]/.test(file)),
  // The dashboard's CSV export, loaded only where a password is set.
  csv: files.some((file) => /[/\\]csv-stringify[/\\]/.test(file)),
  // The runtime's fetch, which an ES import of node:http loads on Node 24.
  // (moduleLoadList: the runtime's own modules loaded so far; not in @types/node.)
  undici: (process as unknown as { moduleLoadList: string[] }).moduleLoadList.some((name) =>
    name.includes('undici'),
  ),
};
process.stdout.write(`MODULES ${JSON.stringify(loaded)}\n`);
