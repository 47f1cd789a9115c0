import { createRequire } from 'node:module';
import type FastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { type ZodType, z } from 'zod';

/** fast-json-stringify's compiler, loaded with the first reply that needs it (it weighs ~30 ms of start-up). */
let build: typeof FastJsonStringify | undefined;
const load = () => {
  build ??= createRequire(import.meta.url)('fast-json-stringify') as typeof FastJsonStringify;
  return build;
};

/**
 * Serializes replies from their zod response schemas through fast-json-stringify: only the
 * properties a schema declares are ever written, so a field added to a reply object by
 * mistake (a secret, say) cannot reach the client. Validating every reply with zod instead
 * was a large part of a checkout's time (profiled); the shapes are already checked by the
 * compiler, and the schemas stay the single description of each reply.
 *
 * Each route's serializer is compiled on its first reply, not when the route is registered:
 * compiling them all was a tenth of start-up, for routes a process may never answer.
 */
export const serializerCompiler: FastifySerializerCompiler<ZodType> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data: unknown) => {
    serialize ??= load()(
      z.toJSONSchema(schema, { target: 'draft-07', io: 'output', unrepresentable: 'any' }) as object,
    ) as (data: unknown) => string;
    return serialize(data);
  };
};
