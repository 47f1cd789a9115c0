import { readFileSync } from 'node:fs';
import { gatewayName, PriceCentsSchema, SkuSchema } from '@igepay/shared';
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
    name: gatewayName(100),
    price: PriceCentsSchema,
  }),
);

/** Parses a catalog document `{ "sku": { "name": "...", "price": "9.90" } }`. */
export function parseCatalog(json: unknown): Catalog {
  const parsed = CatalogFileSchema.parse(json);
  return new Map(
    Object.entries(parsed).map(([sku, item]) => [sku, { name: item.name, priceCents: item.price }]),
  );
}

/** Reads and parses the catalog file at `path`. Throws with a reason when it cannot. */
export function readCatalog(path: string): Catalog {
  return parseCatalog(JSON.parse(readFileSync(path, 'utf8')));
}
