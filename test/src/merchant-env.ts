/**
 * The environment a merchant's own npm, pnpm or Bun would see: this process's, without the
 * npm_* and pnpm_* settings pnpm passes on to the scripts it runs (which would otherwise carry
 * this workspace's settings into an install outside it).
 */
export function merchantEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_(config|package|lifecycle)_/i.test(name)),
  );
}
