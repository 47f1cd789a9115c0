/**
 * How the standalone server is started from an install of the packages: the Docker image's
 * `CMD`, the systemd unit's `ExecStart` and the packed-install test all run this.
 */
export const SERVE_COMMAND = ['igepay', 'serve'] as const;
