/**
 * Starting the product's processes as a deployment does, in any order: a worker and the API started
 * before Temporal is up wait for it, say so once, and start when it answers; a worker with a
 * provider rate limit (two task queues) starts without a warning.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { Child } from '../../scripts/child-process';
import { freePorts } from '../../scripts/free-ports';
import { loadToolingConfig, projectRoot } from '../../scripts/temporal/config';
import { startDevServer, type DevServer } from '../../scripts/temporal/dev-server';
import { TEST_KEYS } from '../fixtures/keyring';

const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

it(
  'a worker and the API started before Temporal wait for it, saying so once, then start with no warning',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-up-'));
    const [port, uiPort, apiPort] = await freePorts(3);
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
      TEMPORAL_CACHE_DIR: dir,
      API_PORT: String(apiPort),
      PROVIDER_RATE_LIMITS: 'datatrust:5',
    };
    const spawn = (name: string, entry: string) => {
      // Everything it writes, kept in the order it came (a log file may lag behind its last line).
      let text = '';
      const output = new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString('utf8');
          done();
        },
      });
      const child = new Child(name, process.execPath, ['--import', 'tsx', entry], {
        env,
        cwd: projectRoot,
        output,
      });
      started.push({ stop: () => child.stop({ graceMs: 10_000 }) });
      return { child, output: () => text };
    };
    const worker = spawn('worker', 'src/worker.ts');
    const api = spawn('api', 'src/api.ts');
    const waiting = /^waiting for Temporal at 127\.0\.0\.1:\d+ \(/;
    await Promise.all([worker.child.untilLine(waiting, 60_000), api.child.untilLine(waiting, 60_000)]);

    // Temporal comes up a few retries later. Both may be up before startDevServer returns (it waits
    // for the Web UI too): listen for their lines first.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const ready = Promise.all([
      worker.child.untilLine(/^credit-onboarding worker on /, 120_000),
      api.child.untilLine(/^API on /, 120_000),
    ]);
    ready.catch(() => undefined);
    const server: DevServer = await startDevServer(loadToolingConfig(), {
      port,
      uiPort,
      dbFile: join(dir, 'dev-server.sqlite'),
      stdio: 'ignore',
    });
    started.push(server);
    await ready;

    for (const { child, output } of [worker, api]) {
      const lines = output().split('\n');
      expect(
        lines.filter((l) => l.startsWith('waiting for Temporal')),
        child.name,
      ).toHaveLength(1);
      expect(
        lines.filter((l) => /\bWARN\b|warning/i.test(l)),
        child.name,
      ).toEqual([]);
      expect(child.alive).toBe(true);
    }
    expect(worker.output()).toContain(`task queue credit-onboarding (and credit-onboarding-datatrust)`);
  },
);
