import { describe, expect, it } from 'vitest';
import { runCrashTest } from './crash.js';

describe('crash safety (shortened; the full run is corepack pnpm test:crash)', () => {
  it('60 orders paid through igepay while the server is SIGKILLed and restarted: each paid once, each forwarded under one id', async () => {
    const report = await runCrashTest({ orders: 60, killEveryMs: 700, minKills: 3 });
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(report.orders).toBe(60);
    expect(report.acknowledged).toBe(60);
    expect(report.paidInStore).toBe(60);
    expect(report.paidWithoutPayment).toEqual([]);
    expect(report.acknowledgedNotPaid).toEqual([]);
    expect(report.notForwarded).toEqual([]);
    expect(report.unstableEventIds).toEqual([]);
  }, 180_000);
});
