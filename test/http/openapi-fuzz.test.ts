/**
 * Property-based fuzzing of the API from its own OpenAPI document: schemathesis (installed by
 * `npm run schemathesis`) generates requests from `/v1/openapi.json`, valid and invalid, and checks
 * every answer: no 5xx, a documented status, the documented content type and a body that matches
 * the documented schema. It runs against the real service, worker, dev server and simulators.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { schemathesisPath } from '../../scripts/schemathesis';
import { sha256Hex } from '../../src/http/api-keys';
import { UNREACHED_LIMITS, useApi } from '../helpers/api';
import { useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 200 });
// Limits the fuzzer never reaches, so that it tests the routes behind them; a tenant of its own, so
// that the onboardings it finds (in the list) are its own, served by this file's worker, and not
// those of other files on the same dev server, whose workers may have stopped.
const FUZZ_KEY = 'fuzz-key-0123456789abcdef';
const api = useApi(h, {
  ...UNREACHED_LIMITS,
  API_KEYS: `fuzzer@fuzz-${Date.now().toString(36)}:all:${sha256Hex(FUZZ_KEY)}`,
});

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
];

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its cache and reports go to a scratch folder, not the project.
    const child = spawn(command, args, {
      cwd: mkdtempSync(join(tmpdir(), 'schemathesis-')),
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

it(
  'answers every generated request with a documented status and body, and never a 5xx',
  { timeout: 300_000 },
  async () => {
    const command = schemathesisPath();
    expect(
      existsSync(command),
      'schemathesis is installed by `npm run schemathesis` (part of `npm test`)',
    ).toBe(true);
    const { code, output } = await h.run(() =>
      run(command, [
        'run',
        `${api.url}/v1/openapi.json`,
        '--checks',
        CHECKS.join(','),
        '--header',
        `Authorization: Bearer ${FUZZ_KEY}`,
        '--phases',
        'examples,fuzzing',
        '--max-examples',
        '40',
        '--workers',
        '2',
        '--request-timeout',
        '30',
        '--seed',
        '20261124',
      ]),
    );
    console.log(
      output
        .split('\n')
        .filter((l) => /operations|test cases|passed|failed|error|Seed/i.test(l))
        .slice(-12)
        .join('\n'),
    );
    expect(code, output.slice(-6_000)).toBe(0);
  },
);
