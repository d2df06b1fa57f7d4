/**
 * Who may see and do what on the production topology (`npm run stack`), in headless Chromium and at
 * Temporal's frontend: the Web UIs ask for a login at Dex and show nothing before it; the operator
 * sees an onboarding's decoded input; the read-only user, in the read-only Web UI, has no reset or
 * terminate; the codec server decodes for a valid user's token only and audits who it was; and
 * Temporal's frontend authorizes each call by the user's token (a viewer cannot terminate or
 * signal, an operator can) or by a service's certificate (the Web UI server's alone may do
 * nothing), never by a token it cannot verify.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnboardingClient } from '../../src/client';
import { loadConfig } from '../../src/config';
import { workflowIdFor } from '../../src/messages';
import { temporalConnectionSettings } from '../../src/temporal/connection';
import { configuredDataConverter } from '../../src/temporal/data-converter';
import { chaosInputs } from '../../scripts/chaos/inputs';
import { goEnv, SERVER_SOURCE } from '../../scripts/stack/binaries';
import { tlsEnv } from '../../scripts/stack/certificates';
import { loadStackConfig } from '../../scripts/stack/config';
import type { UserName } from '../../scripts/stack/logins';
import { SERVER_NAME } from '../../scripts/stack/server';
import { startStack, type Stack } from '../../scripts/stack/topology';
import { cacheDir } from '../../scripts/temporal/binaries';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { chromiumArgs, chromiumPath } from '../helpers/browser';

const log = (line: string) => console.log(`[login] ${line}`);
const APPLICANT = 'Heloísa Bragança Quintela';

let stack: Stack;
let browser: Browser;
let connection: Connection;
let client: OnboardingClient;
/** Onboardings waiting at the SMS token: one to look at, one for the operator to terminate. */
let watched = '';
let doomed = '';
/** The users' tokens, as their browsers send them after logging in. */
const tokens = {} as Record<UserName, string>;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-login-test-'));
  chmodSync(dataDir, 0o755);
  stack = await startStack(loadStackConfig(), { log, dataDir });
  // The lender's backend, through the product's client, with the API's certificate (a writer).
  const settings = connectionSettings('api');
  connection = await Connection.connect({ address: settings.address, tls: settings.tls });
  const configured = configuredDataConverter(stack.config);
  client = new OnboardingClient(
    new Client({ connection, dataConverter: configured.dataConverter }),
    stack.config.TEMPORAL_TASK_QUEUE,
    undefined,
    configured.dataKeys,
  );
  const [first, second] = chaosInputs(2, 41);
  const runId = Date.now().toString(36);
  watched = `login-${runId}-a`;
  doomed = `login-${runId}-b`;
  for (const [input, id] of [
    [first!, watched],
    [second!, doomed],
  ] as const)
    await client.start({ ...input, onboardingId: id, applicant: { ...input.applicant, name: APPLICANT } });
  for (const id of [watched, doomed])
    for (;;) {
      if ((await client.status(id)).stage === 'sms_token') break;
      await sleep(200);
    }
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await stack?.stop();
});

function connectionSettings(certificate: string) {
  return temporalConnectionSettings(
    loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: stack.server.address,
      ...tlsEnv(stack.certificates.client(certificate), SERVER_NAME),
    }),
  );
}

/** A browser of its own (no shared cookies); Dex's certificate is the stack authority's. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return context.newPage();
}

/**
 * Logs `user` in to the Web UI at `uiUrl` through Dex's login page, as a person would, and returns
 * the page once the Web UI calls its API with the user's token (and that token).
 */
async function logIn(uiUrl: string, user: UserName): Promise<{ page: Page; token: string }> {
  const page = await newPage();
  await page.goto(`${uiUrl}/`);
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByText('Continue to SSO').click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  const { login, password } = stack.logins.users[user];
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  const authorized = page.waitForRequest(
    (request) => request.url().startsWith(`${uiUrl}/api/v1/`) && !!request.headers()['authorization'],
  );
  await page.getByRole('button', { name: 'Login' }).click();
  const token = (await authorized).headers()['authorization']!.replace(/^Bearer /, '');
  return { page, token };
}

/** The onboarding's page; its whole text once the applicant's name is on it (or after 20 s). */
async function onboardingPage(page: Page, uiUrl: string, onboardingId: string): Promise<string> {
  await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowIdFor(onboardingId)}`);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await page.innerText('body');
    if (text.includes(APPLICANT) || Date.now() > deadline) return text;
    await sleep(250);
  }
}

/** The buttons of the workflow's actions (cancel, and the menu of reset, signal, terminate, ...). */
const WRITE_ACTIONS = /^(Request Cancellation|More Actions|Terminate|Reset|Signal|Update)$/;

const enabledButtons = (page: Page, name: RegExp) =>
  page.$$eval(
    'button',
    (buttons, source) =>
      buttons
        .filter((b) => new RegExp(source).test(b.innerText.trim()) && !b.disabled)
        .map((b) => b.innerText.trim()),
    name.source,
  );

describe('the Web UIs', () => {
  it('show nothing without a login, and send the browser to Dex', async () => {
    for (const uiUrl of [stack.uiUrl, stack.viewerUiUrl]) {
      const page = await newPage();
      await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowIdFor(watched)}`);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByText('Continue to SSO').waitFor();
      const text = await page.innerText('body');
      expect(text).not.toContain(watched);
      expect(text).not.toContain(APPLICANT);
      // The API behind it answers nothing without a token.
      const listed = await fetch(`${uiUrl}/api/v1/namespaces/default/workflows`);
      expect(listed.status).toBe(401);
      await page.getByText('Continue to SSO').click();
      await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/auth`));
      expect(await page.innerText('body')).toContain('Log in to Your Account');
      await page.context().close();
    }
  });

  it("after the operator logs in, an onboarding's input is decoded through the codec server", async () => {
    const { page, token } = await logIn(stack.uiUrl, 'operator');
    tokens.operator = token;
    const text = await onboardingPage(page, stack.uiUrl, watched);
    expect(text).toContain(APPLICANT);
    // The operators' Web UI offers its write actions.
    expect(await enabledButtons(page, WRITE_ACTIONS)).toEqual(
      expect.arrayContaining(['Request Cancellation', 'More Actions', 'Terminate']),
    );
    await page.context().close();
    const audit = readFileSync(stack.codec.log, 'utf8');
    expect(audit).toMatch(
      new RegExp(`codec user:operator POST /decode 200 \\d+ payload\\(s\\) for [^\\n]*onboarding-${watched}`),
    );
    expect(audit).not.toContain(token);
  });

  it('the read-only user, in the read-only Web UI, sees the input but no reset or terminate', async () => {
    const { page, token } = await logIn(stack.viewerUiUrl, 'viewer');
    tokens.viewer = token;
    const text = await onboardingPage(page, stack.viewerUiUrl, watched);
    expect(text).toContain(APPLICANT);
    expect(await enabledButtons(page, WRITE_ACTIONS)).toEqual([]);
    await page.context().close();
    expect(readFileSync(stack.codec.log, 'utf8')).toContain('codec user:viewer POST /decode 200');
  });
});

/** A token with the same header and claims as `token`, signed with a key Dex never published. */
async function foreignToken(token: string, claims: Record<string, unknown> = {}): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const header = decodeProtectedHeader(token);
  return new SignJWT({ ...decodeJwt(token), ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: header.kid! })
    .sign(privateKey);
}

/** The codec server's audit lines, once `done` says they hold what was awaited (or after 5 s). */
async function auditLines(done: (lines: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const lines = readFileSync(stack.codec.log, 'utf8').trim().split('\n');
    if (done(lines) || Date.now() > deadline) return lines;
    await sleep(50);
  }
}

describe('the codec server', () => {
  const decode = (authorization?: string) =>
    fetch(`${stack.codec.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ payloads: [] }),
    }).then((res) => res.status);

  it("refuses a call without a valid user's token, and audits the user of a valid one", async () => {
    expect(tokens.viewer, 'the users logged in above').toBeTruthy();
    const refused = {
      none: await decode(),
      garbage: await decode('Bearer garbage.garbage.garbage'),
      'signed by another key': await decode(`Bearer ${await foreignToken(tokens.viewer)}`),
      'another key, expired': await decode(
        `Bearer ${await foreignToken(tokens.viewer, { exp: Math.floor(Date.now() / 1000) - 3600 })}`,
      ),
      'not a bearer token': await decode(`Basic ${tokens.viewer}`),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 401])));
    expect(await decode(`Bearer ${tokens.viewer}`)).toBe(200);
    // The codec server writes its audit line once it has answered: wait for it.
    const audit = await auditLines((lines) =>
      /^codec user:viewer POST \/decode 200 /.test(lines.at(-1) ?? ''),
    );
    expect(audit.at(-1)).toMatch(/^codec user:viewer POST \/decode 200 /);
    expect(audit.filter((line) => / 401 /.test(line)).length).toBeGreaterThanOrEqual(5);
    expect(audit.join('\n')).not.toContain(tokens.viewer);
  });
});

describe("Temporal's frontend", () => {
  /** A call with the Web UI server's certificate, as it forwards a browser's token (or none). */
  async function asUi<T>(token: string | undefined, call: (c: Client) => Promise<T>): Promise<string> {
    const settings = connectionSettings('ui');
    let conn: Connection | undefined;
    try {
      conn = await Connection.connect({
        address: settings.address,
        tls: settings.tls,
        ...(token !== undefined ? { metadata: { authorization: `Bearer ${token}` } } : {}),
      });
      await call(
        new Client({ connection: conn, dataConverter: configuredDataConverter(stack.config).dataConverter }),
      );
      return 'allowed';
    } catch (err) {
      const messages: string[] = [];
      for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
      return `refused: ${messages.join(': ')}`;
    } finally {
      await conn?.close();
    }
  }
  const handle = (c: Client, id: string) => c.workflow.getHandle(workflowIdFor(id));
  const list = async (c: Client) => {
    for await (const _ of c.workflow.list({ query: `WorkflowId = '${workflowIdFor(watched)}'` })) return;
  };

  it('a viewer reads but cannot terminate or signal; an operator terminates', async () => {
    expect(tokens.viewer && tokens.operator, 'the users logged in above').toBeTruthy();
    expect(await asUi(tokens.viewer, list)).toBe('allowed');
    const viewerTerminates = await asUi(tokens.viewer, (c) => handle(c, doomed).terminate('by a viewer'));
    expect(viewerTerminates).toMatch(/^refused: .*(PermissionDenied|unauthorized)/i);
    const viewerSignals = await asUi(tokens.viewer, (c) => handle(c, doomed).signal('signatureEvent'));
    expect(viewerSignals).toMatch(/^refused: .*(PermissionDenied|unauthorized)/i);
    expect((await client.status(doomed)).stage).toBe('sms_token');

    expect(await asUi(tokens.operator, (c) => handle(c, doomed).terminate('by the operator'))).toBe(
      'allowed',
    );
    const { status } = await client.client.workflow.getHandle(workflowIdFor(doomed)).describe();
    expect(status.name).toBe('TERMINATED');
  });

  it("the Web UI server's certificate alone, or with a token Dex did not sign, may do nothing", async () => {
    const results = {
      'no token': await asUi(undefined, list),
      garbage: await asUi('garbage.garbage.garbage', list),
      'signed by another key': await asUi(await foreignToken(tokens.operator), list),
      'another key, operator claims, terminate': await asUi(await foreignToken(tokens.operator), (c) =>
        handle(c, watched).terminate('forged'),
      ),
    };
    for (const [what, result] of Object.entries(results))
      expect(`${what}: ${result}`).toMatch(/^[^:]+: refused: .*(PermissionDenied|unauthorized)/i);
    expect((await client.status(watched)).stage).toBe('sms_token');
  });
});

describe('the claim mapper and the authorizer, in Go', () => {
  it('pass their unit tests (go test in ops/temporal/server)', async () => {
    const { stdout } = await promisify(execFile)('go', ['test', '-count=1', './...'], {
      cwd: SERVER_SOURCE,
      env: goEnv(cacheDir(loadToolingConfig())),
    });
    expect(stdout).toMatch(/^ok\s+credit-onboarding\/temporal-server/m);
  });
});
