import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** A multipart body the notification route will not take, with the reason as a code. */
export class MultipartRefusal extends Error {
  override readonly name = 'MultipartRefusal';
  readonly statusCode: number;
  readonly code: 'IGEPAY_MULTIPART_FILE' | 'IGEPAY_MULTIPART_LIMIT' | 'IGEPAY_MULTIPART_MALFORMED';

  constructor(code: MultipartRefusal['code'], message: string) {
    super(message);
    this.code = code;
    this.statusCode = code === 'IGEPAY_MULTIPART_LIMIT' ? 413 : 400;
  }
}

const LIMITS = { fieldNameSize: 100, fieldSize: 4096, fields: 100, files: 0, parts: 100, headerPairs: 50 };

/**
 * Reads the fields of a `multipart/form-data` body (a PHP gateway may post its notification
 * so), with @fastify/busboy: fields only, each at most 4 KiB, at most 100, `maxBytes` in all.
 * A file part, a limit reached or a broken body is refused. Repeated fields become arrays, as in a form.
 * A content-type parser of its own rather than @fastify/multipart, whose hooks run on every
 * request of the route (notifications are forms far more often).
 */
export async function readMultipartFields(
  headers: IncomingHttpHeaders,
  body: Readable,
  maxBytes: number,
): Promise<Record<string, string | string[]>> {
  // Loaded with the first multipart body: most gateways post forms, and start-up is shorter.
  const { Busboy } = await import('@fastify/busboy');
  return new Promise((resolve, reject) => {
    const fields: Record<string, string | string[]> = Object.create(null);
    let settled = false;
    const fail = (error: MultipartRefusal) => {
      if (settled) return;
      settled = true;
      body.unpipe();
      body.resume();
      reject(error);
    };
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: headers as never, limits: LIMITS });
    } catch (error) {
      fail(new MultipartRefusal('IGEPAY_MULTIPART_MALFORMED', (error as Error).message));
      return;
    }
    parser.on('field', (name: string, value: string, _nameCut: boolean, valueCut: boolean) => {
      if (valueCut)
        return fail(
          new MultipartRefusal('IGEPAY_MULTIPART_LIMIT', `${name.slice(0, 40)} is longer than 4 KiB`),
        );
      const previous = fields[name];
      fields[name] =
        previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    });
    parser.on('file', (_name: string, file: Readable) => {
      file.resume();
      fail(
        new MultipartRefusal(
          'IGEPAY_MULTIPART_FILE',
          'the multipart body carries a file; a notification has fields only',
        ),
      );
    });
    parser.on('filesLimit', () =>
      fail(
        new MultipartRefusal(
          'IGEPAY_MULTIPART_FILE',
          'the multipart body carries a file; a notification has fields only',
        ),
      ),
    );
    for (const limit of ['partsLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () =>
        fail(new MultipartRefusal('IGEPAY_MULTIPART_LIMIT', 'the multipart body has too many parts')),
      );
    }
    parser.on('error', (error: Error) =>
      fail(new MultipartRefusal('IGEPAY_MULTIPART_MALFORMED', error.message)),
    );
    parser.on('finish', () => {
      if (settled) return;
      settled = true;
      resolve(fields);
    });
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        fail(new MultipartRefusal('IGEPAY_MULTIPART_LIMIT', `the body is larger than ${maxBytes} bytes`));
    });
    body.on('error', (error) => fail(new MultipartRefusal('IGEPAY_MULTIPART_MALFORMED', error.message)));
    body.pipe(parser);
  });
}
