import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { type ZodType, z } from 'zod';

/**
 * Serializes replies from their zod response schemas through fast-json-stringify: only the
 * properties a schema declares are ever written, so a field added to a reply object by
 * mistake (a secret, say) cannot reach the client. Validating every reply with zod instead
 * was a large part of a checkout's time (profiled); the shapes are already checked by the
 * compiler, and the schemas stay the single description of each reply.
 */
export const serializerCompiler: FastifySerializerCompiler<ZodType> = ({ schema }) =>
  fastJson(
    z.toJSONSchema(schema, { target: 'draft-07', io: 'output', unrepresentable: 'any' }) as object,
  ) as (data: unknown) => string;
