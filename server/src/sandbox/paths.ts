/** Where the server mounts the simulator in sandbox mode. */
export const SANDBOX_PREFIX = '/sandbox';

/** The pay page's path under the simulator's prefix: igepay's own (PROTOCOL.md 1.1). */
export const PAY_PATH = '/Home/Pay/payFor';
