import { IgepayError } from '@igepay/shared';

/** Which kind of server a database belongs to: one taking real payments, or the sandbox. */
export type StoreMode = 'live' | 'sandbox';

/**
 * The mode a store runs in, given the one its database recorded (if any) and the one the
 * opener asks for (if any: the `igepay` command reads either). A database remembers the mode
 * of the first server that opened it; one of the other mode is refused, in one line: a
 * live server must never show simulated payments as real ones, nor the sandbox sit on real
 * ones.
 */
export function settleMode(
  recorded: string | undefined,
  wanted: StoreMode | undefined,
): { readonly mode: StoreMode; readonly record: boolean } {
  if (recorded !== undefined && recorded !== 'live' && recorded !== 'sandbox') {
    throw new IgepayError('IGEPAY_ERR_STORE_MODE', {
      msg: `the database records an unknown mode "${recorded}"`,
    });
  }
  if (recorded !== undefined && wanted !== undefined && recorded !== wanted) {
    throw new IgepayError('IGEPAY_ERR_STORE_MODE', {
      msg:
        recorded === 'sandbox'
          ? 'the database was made by the sandbox (IGEPAY_SANDBOX=1): its payments are simulated, and a live server never opens it; set DATABASE_URL to a database of its own'
          : 'the database was made by a live server: the sandbox never opens it, so no simulated payment sits beside real ones; leave DATABASE_URL unset for the sandbox (sqlite:./data/sandbox.db) or give it a file of its own',
    });
  }
  return { mode: recorded ?? wanted ?? 'live', record: recorded === undefined && wanted !== undefined };
}
