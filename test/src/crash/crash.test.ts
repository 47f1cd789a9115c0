import { describe, expect, inject, it } from 'vitest';
import { scratchDatabase } from '../postgres-cluster.js';
import { type CrashReport, runCrashTest } from './crash.js';

function expectSafe(report: CrashReport): void {
  expect(report.kills).toBeGreaterThanOrEqual(3);
  expect(report.orders).toBe(60);
  expect(report.acknowledged).toBe(60);
  expect(report.paidInStore).toBe(60);
  expect(report.paidWithoutPayment).toEqual([]);
  expect(report.acknowledgedNotPaid).toEqual([]);
  expect(report.notForwarded).toEqual([]);
  expect(report.unstableEventIds).toEqual([]);
}

describe('crash safety (shortened; the full run is pnpm test:crash)', () => {
  it('60 orders paid through igepay while the server is SIGKILLed and restarted: each paid once, each forwarded under one id', async () => {
    expectSafe(await runCrashTest({ orders: 60, killEveryMs: 700, minKills: 3 }));
  }, 180_000);

  it('the same on PostgreSQL', async () => {
    const database = await scratchDatabase(`igepay_crash_${Date.now()}`, inject('postgresUrl'));
    try {
      expectSafe(
        await runCrashTest({ orders: 60, killEveryMs: 700, minKills: 3, databaseUrl: database.url }),
      );
    } finally {
      await database.release();
    }
  }, 180_000);
});
