/**
 * The deployment kit (Dockerfile, compose.yaml, deploy/), checked as far as a machine without a
 * Docker engine allows: each file parsed and linted by a tool made for it, its settings held to
 * what the server needs, and what can run here run. The image's install and command are the
 * packed-install test's (packages.test.ts); nginx runs deploy/nginx.conf in nginx.test.ts.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startTestServer, type TestServer } from '../../server/test/support/harness.js';
import { matrixVersions, ROOT } from './matrix/runtimes.js';
import { SERVE_COMMAND } from './serve-command.js';

const run = promisify(execFile);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The Node majors CI runs the suite on. */
const TESTED_MAJORS = matrixVersions().map((version) => version.split('.')[0]);

describe('the Dockerfile', () => {
  const text = read('Dockerfile');
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  const image = stages.at(-1) ?? [];
  const one = (keyword: string) => {
    const found = image.filter((instruction) => instruction.getKeyword() === keyword);
    expect(found, keyword).toHaveLength(1);
    return found[0] as Instruction;
  };

  it('lints clean (dockerfile-utils, the Docker language server), and its linter does find faults', () => {
    expect(validate(text).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`)).toEqual(
      [],
    );
    expect(validate(text.replace('--interval=30s', '--interval=soon')).length).toBeGreaterThan(0);
  });

  it('builds in stages on a Node the suite runs on, with no toolchain in any stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const arg = instructions.find((instruction) => instruction.getKeyword() === 'ARG');
    const major = /^NODE_VERSION=(\d+)$/.exec(arg?.getArgumentsContent() ?? '')?.[1];
    expect(TESTED_MAJORS).toContain(major);
    for (const stage of stages)
      expect(stage[0]?.getArgumentsContent()).toMatch(/^node:\$\{NODE_VERSION\}-slim\b/);
    // No stage installs a compiler: nothing in the packages needs one.
    const runs = instructions.filter((instruction) => instruction.getKeyword() === 'RUN');
    expect(runs.map((instruction) => instruction.getArgumentsContent()).join('\n')).not.toMatch(
      /g\+\+|gcc|make|python3|apt-get/,
    );
    // The image is the packed packages installed by npm: what packages.test.ts installs and runs.
    expect(text).toMatch(/pnpm --dir "\$package" pack --pack-destination \/tarballs/);
    // With the optional peers the image may need, at the versions the suite tests.
    const tested = (name: string) =>
      JSON.parse(readFileSync(join(ROOT, 'server', 'node_modules', name, 'package.json'), 'utf8')).version;
    expect(text).toContain(
      `npm install --omit=dev --no-audit --no-fund /tarballs/*.tgz pg@${tested('pg')} prom-client@${tested('prom-client')}`,
    );
    expect(read('.dockerignore').split('\n')).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.git', 'data']),
    );
  });

  it('runs igepay serve as a user without privileges, with its database on a volume', () => {
    expect(JSON.parse(one('CMD').getArgumentsContent() ?? '')).toEqual([...SERVE_COMMAND]);
    expect(one('USER').getArgumentsContent()).not.toMatch(/^(root|0)(:|$)/);
    const env = Object.fromEntries(
      image
        .filter((instruction) => instruction.getKeyword() === 'ENV')
        .flatMap((instruction) =>
          (instruction as unknown as { getProperties(): Array<{ getName(): string; getValue(): string }> })
            .getProperties()
            .map((property) => [property.getName(), property.getValue()]),
        ),
    ) as Record<string, string>;
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    expect(one('EXPOSE').getArgumentsContent()).toBe(env.PORT);
    const volume = one('VOLUME').getArgumentsContent() ?? '';
    expect(env.DATABASE_URL).toBe(`sqlite:${volume}/igepay.db`);
    expect(one('STOPSIGNAL').getArgumentsContent()).toBe('SIGTERM');
  });

  describe('its HEALTHCHECK, run here as Docker would run it', () => {
    let server: TestServer;
    let port: number;
    beforeAll(async () => {
      server = await startTestServer();
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      port = (server.app.server.address() as { port: number }).port;
    });
    afterAll(() => server.close());

    const probe = (portValue: number) => {
      const argv = JSON.parse(
        (one('HEALTHCHECK').getArgumentsContent() ?? '').replace(/^(--\S+\s+)*CMD\s+/, ''),
      ) as string[];
      expect(argv[0]).toBe('node');
      return run(process.execPath, argv.slice(1), { env: { PORT: String(portValue) } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    };

    it('passes while /healthz answers 200, and fails when nothing answers', async () => {
      expect(await probe(port)).toBe(0);
      const closed = await startTestServer();
      await closed.app.listen({ host: '127.0.0.1', port: 0 });
      const gone = (closed.app.server.address() as { port: number }).port;
      await closed.close();
      expect(await probe(gone)).toBe(1);
    });
  });
});

/** The parts of a compose service these tests read. */
interface Service {
  build?: string;
  environment: Record<string, string>;
  env_file?: string;
  depends_on?: unknown;
  healthcheck: { test: string[] };
  volumes?: string[];
  ulimits: { nofile: { soft: number } };
  restart?: string;
  network_mode?: string;
  ports?: string[];
}

describe('compose.yaml', () => {
  const document = parseDocument(read('compose.yaml'), { prettyErrors: true });
  const compose = document.toJS() as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { igepay, nginx, postgres } = compose.services;

  it('parses, with the three services', () => {
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(['igepay', 'nginx', 'postgres']);
  });

  it('runs the image on PostgreSQL once the database is healthy, with a password nobody left at a default', () => {
    expect(igepay?.build).toBe('.');
    expect(igepay?.environment.DATABASE_URL).toMatch(
      /^postgres:\/\/igepay:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/igepay$/,
    );
    expect(postgres?.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    expect(igepay?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(postgres?.healthcheck.test).toEqual(['CMD', 'pg_isready', '--username=igepay', '--dbname=igepay']);
    expect(Object.keys(compose.volumes)).toEqual(['postgres']);
    expect(postgres?.volumes).toEqual(['postgres:/var/lib/postgresql/data']);
    // Enough descriptors that the server's own warning (under 4,096) never fires.
    expect(igepay?.ulimits.nofile.soft).toBeGreaterThanOrEqual(4096);
    expect(igepay?.restart).toBe('unless-stopped');
  });

  it("puts nginx in front, in the server's network, with deploy/nginx.conf, once the image's health check passes", () => {
    expect(nginx?.network_mode).toBe('service:igepay');
    expect(igepay?.environment).toMatchObject({ HOST: '127.0.0.1', IGEPAY_TRUST_PROXY: '127.0.0.1' });
    expect(nginx?.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(existsSync(join(ROOT, 'deploy', 'nginx.conf'))).toBe(true);
    expect(read('deploy/nginx.conf')).toMatch(/server 127\.0\.0\.1:8787;/);
    expect(igepay?.environment.PORT).toBe('8787');
    // The health check is the image's (the Dockerfile's HEALTHCHECK, above).
    expect(nginx?.depends_on).toEqual({ igepay: { condition: 'service_healthy' } });
    expect(igepay?.ports).toEqual(['80:80', '443:443']);
  });

  it('reads settings the server knows, from deploy/igepay.env.example', () => {
    expect(igepay?.env_file).toBe('igepay.env');
    const names = read('deploy/igepay.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    const documented = read('docs/configuration.md');
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(documented, name).toContain(`\`${name}\``);
  });
});

describe('deploy/igepay.service', () => {
  const unit = read('deploy/igepay.service');
  const setting = (key: string) =>
    unit
      .split('\n')
      .filter((line) => line.startsWith(`${key}=`))
      .map((line) => line.slice(key.length + 1));

  it('passes systemd-analyze verify', async () => {
    // A root of its own, with systemd's targets and the install path the unit runs.
    const root = mkdtempSync(join(tmpdir(), 'igepay-systemd-'));
    try {
      cpSync('/usr/lib/systemd/system', join(root, 'usr', 'lib', 'systemd', 'system'), { recursive: true });
      const bin = join(root, 'opt', 'igepay', 'node_modules', '.bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'igepay'), '#!/bin/sh\n');
      chmodSync(join(bin, 'igepay'), 0o755);
      const file = join(root, 'etc', 'systemd', 'system', 'igepay.service');
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, unit);
      const verified = await run('systemd-analyze', ['verify', `--root=${root}`, file]);
      expect(verified.stderr).toBe('');
      // And it does find faults.
      writeFileSync(file, unit.replace('Restart=on-failure', 'Restart=sometimes'));
      expect((await run('systemd-analyze', ['verify', `--root=${root}`, file])).stderr).toMatch(
        /Restart|restart/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs igepay serve from an npm install, restarts it, and gives it descriptors and time to drain', () => {
    expect(setting('ExecStart')).toEqual([`/opt/igepay/node_modules/.bin/${SERVE_COMMAND.join(' ')}`]);
    expect(setting('Restart')).toEqual(['on-failure']);
    expect(Number(setting('LimitNOFILE')[0])).toBeGreaterThanOrEqual(4096);
    expect(setting('EnvironmentFile')).toEqual(['/etc/igepay/igepay.env']);
    expect(setting('KillSignal')).toEqual(['SIGTERM']);
    // The server drains for up to 10 s after SIGTERM (close-with-grace's delay).
    expect(Number.parseInt(setting('TimeoutStopSec')[0] ?? '0', 10)).toBeGreaterThan(10);
    expect(setting('DynamicUser')).toEqual(['yes']);
    expect(setting('Environment').join(' ')).toContain('DATABASE_URL=sqlite:/var/lib/igepay/igepay.db');
    expect(setting('StateDirectory')).toEqual(['igepay']);
  });
});
