import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
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

describe('crash safety (shortened; the full run is corepack pnpm test:crash)', () => {
  it('60 orders paid through igepay while the server is SIGKILLed and restarted: each paid once, each forwarded under one id', async () => {
    expectSafe(await runCrashTest({ orders: 60, killEveryMs: 700, minKills: 3 }));
  }, 180_000);

  it('the same on PostgreSQL', async () => {
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    const name = `igepay_crash_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(inject('postgresUrl'));
      url.pathname = `/${name}`;
      expectSafe(
        await runCrashTest({ orders: 60, killEveryMs: 700, minKills: 3, databaseUrl: url.toString() }),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 180_000);
});
