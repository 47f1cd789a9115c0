import type { Catalog } from '../../config/catalog.js';

/** The demo shop's catalog, used in sandbox mode when `IGEPAY_PRODUCTS` is not set. */
export const DEMO_CATALOG: Catalog = new Map([
  ['vip-month', { name: 'VIP会员（月卡）', priceCents: 3000 }],
  ['coffee-beans', { name: '云南咖啡豆 250g', priceCents: 6800 }],
  ['sticker-pack', { name: 'igepay sticker pack', priceCents: 990 }],
]);
