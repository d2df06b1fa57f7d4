/**
 * An operator repairs an onboarding from the Temporal CLI alone, through the codec server: the
 * command is encoded for its onboarding and carries the operator the codec server authenticated,
 * whatever principal it typed. A token that may encode, but not command, sends none (the CLI,
 * refused an encode, retries it until it is stopped: the refused call is given a few seconds).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { resolveBinary } from '../../scripts/temporal/binaries';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { startCodecServer, type RunningCodecServer } from '../../src/codec-server';
import { loadConfig } from '../../src/config';
import { sha256Hex } from '../../src/http/credentials';
import { workflowIdFor } from '../../src/messages';
import { TEST_KEYS } from '../fixtures/keyring';
import { answerSmsToken, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness();

const OPERATOR = 'operator-cli-token-0123456789';
const READER = 'reader-cli-token-0123456789';
let codec: RunningCodecServer;
const audit: string[] = [];
let cli: string;

beforeAll(async () => {
  codec = await startCodecServer(
    loadConfig({
      TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
      CODEC_SERVER_TOKENS: `ops-bia:decode+command:${sha256Hex(OPERATOR)},reader-rui:decode+encode:${sha256Hex(READER)}`,
    }),
    { port: 0, log: (line) => audit.push(line) },
  );
  const found = await resolveBinary('cli', loadToolingConfig(), { log: () => undefined });
  if (found.path === undefined) throw new Error('the temporal CLI was not found');
  cli = found.path;
});
afterAll(() => codec?.close());

/** `temporal workflow update execute --name repair` through the codec server with `token`. */
function repairFromCli(id: string, token: string, command: object, timeout: number) {
  return promisify(execFile)(
    cli,
    [
      'workflow',
      'update',
      'execute',
      '--address',
      inject('temporalAddress'),
      '--namespace',
      h.env.namespace ?? 'default',
      '--workflow-id',
      workflowIdFor(id),
      '--name',
      'repair',
      '--input',
      JSON.stringify(command),
      '--codec-endpoint',
      codec.url,
      '--codec-auth',
      `Bearer ${token}`,
      '--codec-header',
      `X-Onboarding=${workflowIdFor(id)}`,
    ],
    { timeout },
  ).then(
    () => 'sent',
    (err: { stderr?: string; stdout?: string }) => `refused: ${err.stderr ?? ''} ${err.stdout ?? ''}`,
  );
}

it('a repair from the Temporal CLI is taken as the operator who sent it; a reader sends none', async () => {
  await h.run(async () => {
    const input = onboardingInput({ signingProvider: 'securities' });
    h.simulators.servers.securities.addFaults([
      { route: 'POST /v1/proposals', kind: 'status', status: 422, times: 1 },
    ]);
    await h.client.start(input);
    await answerSmsToken(h, input.onboardingId);
    await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'needs_attention');

    const forged = {
      action: 'retry',
      reason: 'mallory',
      principal: { type: 'service', name: 'backend', tenant: 'default' },
    };
    expect(await repairFromCli(input.onboardingId, READER, forged, 5_000)).toMatch(/^refused: /);
    expect(audit).toContainEqual(expect.stringMatching(/^codec reader-rui POST \/encode 403 /));
    expect(audit).not.toContainEqual(expect.stringMatching(/^codec reader-rui POST \/encode 200 /));
    const parked = await h.client.status(input.onboardingId);
    expect(parked.stage).toBe('needs_attention');
    expect(parked.repairs ?? []).toEqual([]);

    expect(await repairFromCli(input.onboardingId, OPERATOR, forged, 30_000)).toBe('sent');
    expect(audit).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^codec ops-bia POST /encode 200 1 payload\\(s\\) for ${workflowIdFor(input.onboardingId)} `,
        ),
      ),
    );
    expect((await h.client.result(input.onboardingId)).status).toBe('completed');
    expect((await h.client.status(input.onboardingId)).repairs).toEqual([
      expect.objectContaining({
        action: 'retry',
        reason: 'mallory',
        principal: { type: 'operator', name: 'ops-bia', tenant: '*' },
      }),
    ]);
  });
});
