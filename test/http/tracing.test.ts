/**
 * Traces (docs/tracing.md): the real API and worker entry points, each in a process of its own with
 * OTEL_EXPORTER_OTLP_ENDPOINT set to a collector on loopback, run one onboarding to its outcome.
 * The trace the lender's backend sent with the start goes through the API's request, the workflow
 * and its activities to every provider call; nothing the applicant gave is in any span, not even
 * in a failed attempt whose provider error names them; and the
 * onboarding's history replays on an untraced worker (tracing can be turned off again).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Child } from '../../scripts/child-process';
import { freePort } from '../../scripts/free-ports';
import { projectRoot } from '../../scripts/temporal/config';
import { API_KEY, API_KEYS, UNREACHED_LIMITS } from '../helpers/api';
import { answerNext } from '../helpers/simulators';
import { onboardingInput } from '../helpers/inputs';
import { useOnboardingServer } from '../helpers/onboarding';
import { startSpawnedWorker } from '../helpers/spawned-worker';
import { testWorkerConverter } from '../helpers/temporal';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}

/** A collector on loopback: every OTLP/HTTP JSON export it receives, as sent. */
const bodies: string[] = [];
let collector: Server;
let collectorUrl = '';
beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url === '/v1/traces') bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

const spans = (): ExportedSpan[] =>
  bodies.flatMap((body) =>
    (
      JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: ExportedSpan[] }> }> }
    ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
  );
const attribute = (span: ExportedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

it(
  'one trace from the API request through the workflow and its activities to each provider call, with no personal data',
  { timeout: 180_000 },
  async () => {
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_BSP_SCHEDULE_DELAY: '200' };
    const worker = await startSpawnedWorker(h, { entry: 'source', env: tracing });
    const apiPort = await freePort();
    const api = new Child('api', process.execPath, ['--import', 'tsx', 'src/api.ts'], {
      env: {
        ...process.env,
        ...worker.env,
        ...UNREACHED_LIMITS,
        API_KEYS,
        API_PORT: String(apiPort),
      },
      cwd: projectRoot,
      output: join(mkdtempSync(join(tmpdir(), 'traced-api-')), 'api.log'),
    });
    try {
      await api.untilLine(/^API on .*traces over OTLP/, 60_000);
      const call = async (method: string, path: string, body?: unknown, headers: object = {}) => {
        const res = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${API_KEY}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as unknown };
      };
      const statusOf = async (id: string) =>
        (await call('GET', `/v1/onboardings/${id}`)).body as {
          stage: string;
          outcome?: { status: string };
          references: { dataTrustTransactionId?: string };
        };

      // The lender's backend sends its own trace with the start.
      const traceId = randomBytes(16).toString('hex');
      const lenderSpanId = randomBytes(8).toString('hex');
      const input = onboardingInput({ signingProvider: 'signio' });
      // Securities' first answer to the CCB is a 503 whose message names the applicant: the failed
      // attempt is in the trace, the provider's words are not.
      await answerNext(h.simulators.baseUrls.SECURITIES_BASE_URL, 'POST /v1/proposals', 503, {
        body: { message: `proposta de ${input.applicant.name} indisponível`, errors: [input.applicant.name] },
      });
      const started = await call('POST', '/v1/onboardings', input, {
        traceparent: `00-${traceId}-${lenderSpanId}-01`,
      });
      expect(started.status).toBe(201);
      const id = input.onboardingId;
      const deadline = Date.now() + 60_000;
      const until = async (done: (s: typeof status) => boolean) => {
        while (!done(status)) {
          expect(Date.now(), `still at ${status.stage}`).toBeLessThan(deadline);
          await sleep(100);
          status = await statusOf(id);
        }
      };
      let status = await statusOf(id);
      await until((s) => s.stage === 'sms_token' || s.outcome !== undefined);
      expect(status.outcome).toBeUndefined();
      const token = await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
      expect((await call('POST', `/v1/onboardings/${id}/sms-token`, { token })).status).toBe(200);
      await until((s) => s.outcome !== undefined);
      expect(status.outcome?.status).toBe('completed');

      // The workflow's own span ends with it: exported once the onboarding has its outcome.
      const runWorkflow = (s: ExportedSpan) => s.name === 'RunWorkflow:creditOnboarding';
      for (let i = 0; i < 100 && !spans().some(runWorkflow); i++) await sleep(100);
      const all = spans();
      const byId = new Map(all.map((s) => [s.spanId, s]));
      const ancestry = (span: ExportedSpan): string[] => {
        const names: string[] = [];
        for (let s = byId.get(span.parentSpanId ?? ''); s !== undefined; s = byId.get(s.parentSpanId ?? ''))
          names.push(s.name);
        return names;
      };

      const request = all.find((s) => s.name === 'POST /v1/onboardings');
      expect(request).toMatchObject({ traceId, parentSpanId: lenderSpanId });
      expect(attribute(request!, 'http.response.status_code')).toBe(201);

      // Every provider call the onboarding made, in the lender's trace, under the activity that made it.
      const providerCalls = all.filter((s) => attribute(s, 'provider.name') !== undefined);
      expect(new Set(providerCalls.map((s) => attribute(s, 'provider.name')))).toEqual(
        new Set(['datatrust', 'securities', 'signio']),
      );
      for (const call of providerCalls) {
        expect(call.traceId, call.name).toBe(traceId);
        const chain = ancestry(call);
        expect(chain[0], call.name).toMatch(/^RunActivity:/);
        expect(chain[1], call.name).toMatch(/^StartActivity:/);
        expect(chain.slice(2), call.name).toEqual(
          expect.arrayContaining([
            'RunWorkflow:creditOnboarding',
            'StartWorkflow:creditOnboarding',
            'POST /v1/onboardings',
          ]),
        );
      }
      const failedAttempt = all.find(
        (s) => s.name === 'RunActivity:createCcbProposal' && s.status?.code === 2,
      );
      expect(failedAttempt, 'the CCB call’s failed attempt').toBeDefined();
      const operations = providerCalls.map((s) => attribute(s, 'provider.operation'));
      expect(operations).toEqual(
        expect.arrayContaining(['sendTransaction', 'validateSmsToken', 'createProposal']),
      );

      // Nothing the applicant gave, in any span or attribute the processes sent.
      const exported = bodies.join('\n');
      // The provider's words (redacted or not) stay in the history, encrypted: not in the spans.
      expect(exported).not.toContain('indisponível');
      const { applicant } = input;
      const digits = (text: string) => text.replace(/\D/g, '');
      for (const value of [
        applicant.cpf,
        digits(applicant.cpf),
        applicant.name,
        applicant.phone,
        digits(applicant.phone),
        applicant.email,
        applicant.birthDate,
        applicant.address.street,
        applicant.address.zipCode,
        digits(applicant.address.zipCode),
        token,
      ]) {
        expect(exported.includes(value), 'a personal value is in the exported spans').toBe(false);
      }

      // Its history, made with the tracing interceptors, replays on workflow code without them.
      const history = await h.env.client.workflow.getHandle(`onboarding-${id}`).fetchHistory();
      await Worker.runReplayHistory(
        { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: testWorkerConverter },
        history,
        `onboarding-${id}`,
      );
    } finally {
      await api.stop({ graceMs: 5_000 });
    }
  },
);
