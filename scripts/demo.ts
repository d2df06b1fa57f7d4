/**
 * `npm run demo`: one complete onboarding on the embedded default, with no credentials.
 * Starts (or reuses) the Temporal dev server, the HTTP service, the four provider simulators
 * (delivering their webhooks to the service) and a worker, then drives the onboarding the way a
 * lender's backend in any language would: over the HTTP API only. It starts the onboarding from
 * examples/onboarding-input.json, answers the SMS token the simulator "sent" (or asks you for it
 * with --interactive), lets the simulated signers sign (their webhooks wake the onboarding), prints
 * every stage as it happens, the outcome and the Web UI link, and exits 0 when it completed. On the
 * embedded default it also receives the onboarding's events (docs/events.md) with a receiver that
 * verifies each signature, and prints them, and the evidence record with its verification.
 *
 *   npm run demo -- --provider signio      # securities | assinebem | signio (default: the example's)
 *   npm run demo -- --interactive          # type the SMS token yourself
 *   npm run demo -- --address 127.0.0.1:7633   # on the running `npm run stack` at that address
 *   npm run demo -- --scenario repair      # Securities refuses the CCB terms; the demo, as the
 *                                          # operator, corrects them and the onboarding completes
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type {
  OnboardingInputDraft,
  OnboardingOutcome,
  OnboardingStatus,
  SmsTokenValidation,
} from '../src/client';
import { signingProviders } from '../src/domain/input';
import { loadConfig } from '../src/config';
import { resolveApiKeys } from '../src/http/api-keys';
import { DEFAULT_TENANT } from '../src/domain/onboarding';
import { resolveEvidenceKey } from '../src/evidence/keys';
import { verifyEvidence } from '../src/evidence/signature';
import { startEventReceiver, type EventReceiver } from './events/receiver';
import { startLocalStack } from './local-stack';
import { readEndpoints, stackSmsToken } from './stack/endpoints';
import { cacheDir } from './temporal/binaries';
import { loadToolingConfig, projectRoot } from './temporal/config';

const { values: args } = parseArgs({
  options: {
    provider: { type: 'string' },
    interactive: { type: 'boolean', default: false },
    input: { type: 'string', default: join(projectRoot, 'examples', 'onboarding-input.json') },
    address: { type: 'string' },
    scenario: { type: 'string', default: 'happy' },
  },
});

const scenarios = ['happy', 'repair'] as const;
type Scenario = (typeof scenarios)[number];

/** What the repair scenario has Securities refuse once: the next CCB proposal, as a 422. */
const refusedProposal = [{ route: 'POST /v1/proposals', kind: 'status' as const, status: 422, times: 1 }];

/** The operator's correction in the repair scenario: the disbursement account the lender fixed. */
const correctedTerms = { loan: { terms: { bank_account_number: '123457-0' } } };

/** What the demo drives: the embedded default it starts, or a running `npm run stack`. */
interface Target {
  api: { url: string; key: string };
  /** The receiver of the demo tenant's events (the embedded default only: the stack's workers have their own). */
  events?: EventReceiver;
  /** Has the Securities simulator refuse the next CCB proposal. */
  refuseNextProposal(): Promise<void>;
  smsTokenFor(transactionId: string): Promise<string>;
  uiLink(workflowId: string): string;
  stop(): Promise<void>;
}

async function target(autoSignMs: number): Promise<Target> {
  if (args.address === undefined) {
    const events = await receiveEvents();
    const stack = await startLocalStack({ autoSignMs, api: true, log: (line) => console.log(line) });
    return {
      api: stack.api!,
      events,
      refuseNextProposal: async () => stack.simulators.servers.securities.addFaults(refusedProposal),
      smsTokenFor: (id) => stack.simulators.datatrust.smsTokenFor(id),
      uiLink: stack.uiLink,
      stop: async () => {
        await stack.stop();
        await events.close();
      },
    };
  }
  const config = loadConfig();
  const endpoints = readEndpoints(cacheDir(loadToolingConfig()), args.address);
  const key = resolveApiKeys(config).developmentKey;
  if (key === undefined) throw new Error('the demo uses the development API key: unset API_KEYS');
  console.log(`Using the stack at ${endpoints.temporal}: API ${endpoints.api}, Web UI ${endpoints.ui}`);
  return {
    api: { url: endpoints.api, key },
    refuseNextProposal: async () => {
      const base = endpoints.simulators['SECURITIES_BASE_URL'];
      if (base === undefined) throw new Error('the stack has no Securities simulator');
      const res = await fetch(`${new URL(base).origin}/_simulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(refusedProposal),
      });
      if (!res.ok) throw new Error(`the Securities simulator refused the fault rule: HTTP ${res.status}`);
    },
    smsTokenFor: (id) => stackSmsToken(endpoints, id),
    uiLink: (workflowId) => `${endpoints.ui}/namespaces/${endpoints.namespace}/workflows/${workflowId}`,
    stop: async () => undefined,
  };
}

async function main(): Promise<number> {
  const scenario = args.scenario as Scenario;
  if (!scenarios.includes(scenario)) throw new Error(`--scenario must be one of ${scenarios.join(', ')}`);
  const autoSignMs = args.interactive ? 20_000 : 3_000;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await target(autoSignMs);
  const api = apiClient(stack.api);
  try {
    const draft = JSON.parse(readFileSync(args.input, 'utf8')) as OnboardingInputDraft;
    const provider = (args.provider ?? draft.signingProvider) as OnboardingInputDraft['signingProvider'];
    if (!signingProviders.includes(provider))
      throw new Error(`--provider must be one of ${signingProviders.join(', ')}`);
    const input: OnboardingInputDraft = {
      ...draft,
      onboardingId: `${draft.onboardingId}-${Date.now().toString(36)}`,
      signingProvider: provider,
      // The signers' webhooks wake the onboarding; the timer, checking every half minute, is only the safety net.
      policy: 'demo',
    };

    if (scenario === 'repair') {
      await stack.refuseNextProposal();
      console.log('  Scenario repair: Securities will refuse the next CCB proposal (HTTP 422)');
    }
    const created = await api<{ workflowId: string; statusUrl: string }>('POST', '/v1/onboardings', input);
    console.log(`  POST /v1/onboardings -> ${created.statusUrl}`);
    const uiLink = stack.uiLink(created.workflowId);
    console.log(`\nOnboarding ${input.onboardingId} started with ${provider}: ${uiLink}`);

    let printed = 0;
    let answeredTransaction: string | undefined;
    let repaired = false;
    for (;;) {
      const status = await api<OnboardingStatus>('GET', `/v1/onboardings/${input.onboardingId}`);
      for (const entry of status.timeline.slice(printed)) {
        console.log(
          `  ${entry.at}  ${entry.stage}${entry.note ? ` (${entry.note})` : ''}${describeStage(entry.stage, status)}`,
        );
      }
      printed = status.timeline.length;
      if (status.outcome) break;
      const transactionId = status.references.dataTrustTransactionId;
      if (status.stage === 'sms_token' && transactionId && transactionId !== answeredTransaction) {
        answeredTransaction = transactionId;
        const token = args.interactive ? await askToken() : await stack.smsTokenFor(transactionId);
        const answer = await api<SmsTokenValidation>(
          'POST',
          `/v1/onboardings/${input.onboardingId}/sms-token`,
          {
            token,
          },
        );
        console.log(`  SMS token ${answer.result} (${answer.attemptsLeft} tries left)`);
        if (answer.result !== 'Valid') answeredTransaction = undefined;
      }
      if (status.stage === 'needs_attention' && status.attention && !repaired) {
        repaired = true;
        const a = status.attention;
        console.log(
          `  Needs attention: ${a.step}, ${a.provider ?? ''} ${a.call ?? ''} answered ${a.status ?? a.failure}; may ${a.actions.join(', ')}`,
        );
        const repair = {
          action: 'correct',
          reason: 'the lender fixed the disbursement account',
          corrections: correctedTerms,
        };
        const answer = await api<{ next: string }>(
          'POST',
          `/v1/onboardings/${input.onboardingId}/repair`,
          repair,
        );
        console.log(
          `  POST /v1/onboardings/${input.onboardingId}/repair (as the operator: correct) -> ${answer.next}`,
        );
      }
      await sleep(300);
    }

    const outcome = await api<OnboardingOutcome>(
      'GET',
      `/v1/onboardings/${input.onboardingId}/outcome?waitSeconds=25`,
    );
    console.log(`\nOutcome: ${outcome.status} (${outcome.reason})`);
    console.log(`References: ${JSON.stringify(outcome.references)}`);
    if (stack.events) await printEvents(stack.events, input.onboardingId);
    if (outcome.status === 'completed') await printEvidence(api, input.onboardingId);
    console.log(`Web UI: ${uiLink}`);
    return outcome.status === 'completed' ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

/**
 * A receiver for the demo tenant's events (`default`, the development key's), configured for the
 * worker the demo starts: its endpoint, a secret made for this run, and quick retries.
 */
async function receiveEvents(): Promise<EventReceiver> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = await startEventReceiver({ secrets: [secret] });
  process.env['EVENT_ENDPOINTS'] = `demo-receiver@${DEFAULT_TENANT}=${receiver.url}`;
  process.env['EVENT_SIGNING_SECRETS'] = `${DEFAULT_TENANT}=${secret}`;
  process.env['EVENT_RETRY_FIRST_MS'] = '1000';
  return receiver;
}

async function printEvents(receiver: EventReceiver, onboardingId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  const mine = () => receiver.received.filter((r) => r.event.onboardingId === onboardingId);
  while (!mine().some((r) => r.event.type === 'onboarding.finished') && Date.now() < deadline)
    await sleep(200);
  console.log(`\nEvents received at ${receiver.url}, each signature verified (Standard Webhooks):`);
  for (const { event } of mine())
    console.log(
      `  #${event.sequence} ${event.id} ${event.type} ${event.stage}${event.note ? ` (${event.note})` : ''}`,
    );
  if (receiver.refused.length > 0) console.log(`  refused (signature): ${receiver.refused.length}`);
}

async function printEvidence(api: ReturnType<typeof apiClient>, onboardingId: string): Promise<void> {
  const record = await api<{ evidence: Record<string, unknown> }>(
    'GET',
    `/v1/onboardings/${onboardingId}/evidence`,
  );
  console.log(`\nEvidence record (GET /v1/onboardings/${onboardingId}/evidence):`);
  console.log(JSON.stringify(record, null, 2).replace(/^/gm, '  '));
  const verified = verifyEvidence(record, resolveEvidenceKey(loadConfig()).publicKey);
  console.log(
    `Evidence signature: ${verified.valid ? `valid (key ${verified.keyId})` : `INVALID: ${verified.why}`}`,
  );
}

/** The API, called as any backend would: JSON over HTTP with an API key. */
function apiClient({ url, key }: { url: string; key: string }) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json()) as T & { error?: string };
    if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${answer.error ?? ''}`);
    return answer;
  };
}

function describeStage(stage: string, status: OnboardingStatus): string {
  if (stage === 'decision' && status.identity) return `: Data Trust score ${status.identity.score}`;
  if (stage === 'waiting_signatures') {
    return `: ${status.signers.length} signer(s), deadline ${status.signature?.deadline}`;
  }
  return '';
}

async function askToken(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (
      await rl.question(
        '  SMS token sent to the applicant (see GET /_simulator/sms on the Data Trust simulator): ',
      )
    ).trim();
  } finally {
    rl.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
