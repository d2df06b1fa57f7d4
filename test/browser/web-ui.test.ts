/**
 * The Temporal Web UI in a real browser (headless Chromium): with the codec server as its codec
 * endpoint, an operator sees the finished onboarding's decoded input, the applicant's name
 * included; the same UI with no codec endpoint shows the encrypted payload and not the name; once
 * the onboarding's data key is destroyed, the UI with the codec server shows the input as erased.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePorts } from '../../scripts/free-ports';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { startDevServer, type DevServer } from '../../scripts/temporal/dev-server';
import { workflowIdFor } from '../../src/messages';
import { chromiumPath, chromiumArgs } from '../helpers/browser';
import { createHarness, onboardToOutcome, onboardingInput, type Harness } from '../helpers/onboarding';
import { testDataConverter, testDataKeys } from '../helpers/temporal';
import { startTestCodecServer } from '../helpers/codec-server';

const TOKEN = 'web-ui-test-token';
const name = 'Heloísa Bragança Quintela';
const dbFile = join(mkdtempSync(join(tmpdir(), 'web-ui-')), 'dev.sqlite');
let ports: { server: number; ui: number };
let closeCodec: () => Promise<void>;
let codecEndpoint = '';
let server: DevServer | undefined;
let browser: Browser;
let workflowId = '';

const startServer = async (withCodec: boolean) =>
  startDevServer(loadToolingConfig(), {
    dbFile,
    port: ports.server,
    uiPort: ports.ui,
    stdio: 'ignore',
    ...(withCodec ? { codecEndpoint } : {}),
  });

beforeAll(async () => {
  const [serverPort, uiPort] = (await freePorts(2)) as [number, number];
  ports = { server: serverPort, ui: uiPort };
  const codec = await startTestCodecServer(TOKEN, {
    pathTokens: true,
    corsOrigins: [`http://127.0.0.1:${ports.ui}`, `http://localhost:${ports.ui}`],
  });
  codecEndpoint = `${codec.url}/ui/${TOKEN}`;
  closeCodec = () => codec.close();

  // One finished onboarding, on a dev server of this file's own.
  server = await startServer(true);
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: server.address,
    client: { dataConverter: testDataConverter },
  });
  let harness: Harness | undefined;
  try {
    harness = await createHarness(env, { autoSignMs: 0 });
    const input = onboardingInput({ signingProvider: 'securities', applicantName: name });
    const { outcome } = await onboardToOutcome(harness, input);
    expect(outcome.status).toBe('completed');
    workflowId = workflowIdFor(input.onboardingId);
  } finally {
    await harness?.close();
    await env.teardown();
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await closeCodec?.();
});

/** What the codec server answers for a payload whose onboarding's data key was destroyed. */
const ERASED = 'personal data erased at';
/** The Input card as the UI shows a payload it could not decode: the ciphertext, in base64. */
const CIPHERTEXT = /\nInput\n"[A-Za-z0-9+/]{64,}={0,2}"/;

/** The workflow's page, once its Input card shows a payload; its whole text. */
async function workflowPage(): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${ports.ui}/namespaces/default/workflows/${workflowId}`, {
      waitUntil: 'load',
    });
    // The Input card renders, then decodes (or not): wait for one or the other.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = await page.innerText('body');
      if (text.includes(name) || CIPHERTEXT.test(text) || text.includes(ERASED)) return text;
      if (Date.now() > deadline) return text;
      await page.waitForTimeout(250);
    }
  } finally {
    await page.close();
  }
}

it('with the codec server, the Web UI shows the decoded input, the applicant included', async () => {
  const text = await workflowPage();
  expect(text).toContain(name);
  expect(text).toContain('"status": "completed"');
});

it('without a codec endpoint, the same page shows the encrypted payload, not the applicant', async () => {
  await server!.stop();
  server = await startServer(false);
  const text = await workflowPage();
  expect(text).toMatch(CIPHERTEXT);
  expect(text).not.toContain(name);
  expect(text).not.toContain('Heloísa');
});

it("once the onboarding's data key is destroyed, the page with the codec server shows its input as erased", async () => {
  await server!.stop();
  server = await startServer(true);
  await testDataKeys.erase(workflowId, { erasedAt: new Date().toISOString(), cause: 'request' });
  const text = await workflowPage();
  expect(text).toContain(ERASED);
  expect(text).not.toContain(name);
  expect(text).not.toContain('Heloísa');
});
