import { readFileSync } from 'node:fs';
import { gatewayText, parsePrice, SkuSchema } from '@igepay/shared';
import { z } from 'zod';

/** One item of the merchant's catalog: its name and its price in cents. */
export interface Product {
  readonly name: string;
  readonly priceCents: number;
}

/** The merchant's catalog (`IGEPAY_PRODUCTS`), by product key. */
export type Catalog = ReadonlyMap<string, Product>;

const CatalogFileSchema = z.record(
  SkuSchema,
  z.object({
    name: z.string().min(1, 'must not be empty').pipe(gatewayText(100)),
    price: z.string().refine((value) => (parsePrice(value) ?? 0) > 0, {
      message: 'must be a positive amount in yuan with at most 2 decimals, e.g. "9.90"',
    }),
  }),
);

/** Parses a catalog document `{ "sku": { "name": "...", "price": "9.90" } }`. */
export function parseCatalog(json: unknown): Catalog {
  const parsed = CatalogFileSchema.parse(json);
  return new Map(
    Object.entries(parsed).map(([sku, item]) => [
      sku,
      { name: item.name, priceCents: parsePrice(item.price) ?? 0 },
    ]),
  );
}

/** Reads and parses the catalog file at `path`. Throws with a reason when it cannot. */
export function readCatalog(path: string): Catalog {
  return parseCatalog(JSON.parse(readFileSync(path, 'utf8')));
}
