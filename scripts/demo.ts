/**
 * `npm run demo`: one complete onboarding on the embedded default, with no credentials.
 * Starts (or reuses) the Temporal dev server, the HTTP service, the four provider simulators
 * (delivering their webhooks to the service) and a worker, then drives the onboarding the way a
 * lender's backend in any language would: over the HTTP API only. It starts the onboarding from
 * examples/onboarding-input.json, answers the SMS token the simulator "sent" (or asks you for it
 * with --interactive), lets the simulated signers sign (their webhooks wake the onboarding), prints
 * every stage as it happens, the outcome and the Web UI link, and exits 0 when it completed.
 *
 *   npm run demo -- --provider signio      # securities | assinebem | signio (default: the example's)
 *   npm run demo -- --interactive          # type the SMS token yourself
 *   npm run demo -- --address 127.0.0.1:7633   # on the running `npm run stack` at that address
 */
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
  },
});

/** What the demo drives: the embedded default it starts, or a running `npm run stack`. */
interface Target {
  api: { url: string; key: string };
  smsTokenFor(transactionId: string): Promise<string>;
  uiLink(workflowId: string): string;
  stop(): Promise<void>;
}

async function target(autoSignMs: number): Promise<Target> {
  if (args.address === undefined) {
    const stack = await startLocalStack({ autoSignMs, api: true, log: (line) => console.log(line) });
    return {
      api: stack.api!,
      smsTokenFor: (id) => stack.simulators.datatrust.smsTokenFor(id),
      uiLink: stack.uiLink,
      stop: stack.stop,
    };
  }
  const config = loadConfig();
  const endpoints = readEndpoints(cacheDir(loadToolingConfig()), args.address);
  const key = resolveApiKeys(config).developmentKey;
  if (key === undefined) throw new Error('the demo uses the development API key: unset API_KEYS');
  console.log(`Using the stack at ${endpoints.temporal}: API ${endpoints.api}, Web UI ${endpoints.ui}`);
  return {
    api: { url: endpoints.api, key },
    smsTokenFor: (id) => stackSmsToken(endpoints, id),
    uiLink: (workflowId) => `${endpoints.ui}/namespaces/${endpoints.namespace}/workflows/${workflowId}`,
    stop: async () => undefined,
  };
}

async function main(): Promise<number> {
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

    const created = await api<{ workflowId: string; statusUrl: string }>('POST', '/v1/onboardings', input);
    console.log(`  POST /v1/onboardings -> ${created.statusUrl}`);
    const uiLink = stack.uiLink(created.workflowId);
    console.log(`\nOnboarding ${input.onboardingId} started with ${provider}: ${uiLink}`);

    let printed = 0;
    let answeredTransaction: string | undefined;
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
      await sleep(300);
    }

    const outcome = await api<OnboardingOutcome>(
      'GET',
      `/v1/onboardings/${input.onboardingId}/outcome?waitSeconds=25`,
    );
    console.log(`\nOutcome: ${outcome.status} (${outcome.reason})`);
    console.log(`References: ${JSON.stringify(outcome.references)}`);
    console.log(`Web UI: ${uiLink}`);
    return outcome.status === 'completed' ? 0 : 1;
  } finally {
    await stack.stop();
  }
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
