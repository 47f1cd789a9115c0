/** Where the server mounts the simulator in sandbox mode. */
export const SANDBOX_PREFIX = '/sandbox';
