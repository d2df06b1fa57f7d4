/**
 * Fault rules with a `probability`, over real HTTP to a simulator built from the kit: 0 never
 * applies, 1 always does, and in between the draws follow the seed, so a run can be repeated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorServer, reply, type FaultRule } from '../../simulators/kit';
import { addFaults, resetSimulator } from '../helpers/simulators';

const started: SimulatorServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function simulator(faults: FaultRule[], faultSeed?: number): Promise<string> {
  const sim = new SimulatorServer('faults', { faults, ...(faultSeed === undefined ? {} : { faultSeed }) });
  sim.route('GET', '/ping', () => reply(200, { ok: true }));
  started.push(sim);
  return sim.listen();
}

/** The status of each of `n` requests, one after the other (0 when the connection was dropped). */
async function statuses(baseUrl: string, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    seen.push(
      await fetch(`${baseUrl}/ping`).then(
        (r) => r.status,
        () => 0,
      ),
    );
  }
  return seen;
}

const status503 = (probability: number): FaultRule => ({
  route: 'GET /ping',
  kind: 'status',
  status: 503,
  probability,
});

describe('fault rules with a probability', () => {
  it('never apply with probability 0 and always apply with probability 1', async () => {
    expect(new Set(await statuses(await simulator([status503(0)], 1), 50))).toEqual(new Set([200]));
    expect(new Set(await statuses(await simulator([status503(1)], 1), 50))).toEqual(new Set([503]));
  });

  it('apply to a fraction of the requests that the seed decides', async () => {
    const first = await statuses(await simulator([status503(0.5)], 42), 200);
    const again = await statuses(await simulator([status503(0.5)], 42), 200);
    const other = await statuses(await simulator([status503(0.5)], 43), 200);
    const failed = first.filter((s) => s === 503).length;
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(130);
    expect(first.filter((s) => s !== 503 && s !== 200)).toEqual([]);
  });

  it('start their draws over on reset, and count only the requests they applied to in `times`', async () => {
    const base = await simulator([], 7);
    await addFaults(base, [{ ...status503(0.5), times: 5 }]);
    const first = await statuses(base, 40);
    expect(first.filter((s) => s === 503)).toHaveLength(5);
    await resetSimulator(base);
    await addFaults(base, [{ ...status503(0.5), times: 5 }]);
    expect(await statuses(base, 40)).toEqual(first);
  });

  it('are refused outside 0..1', async () => {
    const base = await simulator([]);
    const res = await fetch(`${base}/_simulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(status503(1.5)),
    });
    expect(res.status).toBe(400);
  });
});

describe('commit-then-garble', () => {
  /** A simulator with one create route that counts what it created. */
  async function creating(faults: FaultRule[]): Promise<{ base: string; created: () => number }> {
    let created = 0;
    const sim = new SimulatorServer('garble', { faults });
    sim.route('POST', '/things', () => reply(201, { thing: { id: String(++created), name: 'a thing' } }));
    sim.route('POST', '/nothing', () => ({ status: 200 }));
    started.push(sim);
    return { base: await sim.listen(), created: () => created };
  }
  const post = (url: string) => fetch(url, { method: 'POST' });

  it('does what the request asks, then answers half of its own answer: JSON no parser accepts', async () => {
    const { base, created } = await creating([
      { route: 'POST /things', kind: 'commit-then-garble', times: 1 },
    ]);
    const res = await post(`${base}/things`);
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(JSON.stringify({ thing: { id: '1', name: 'a thing' } }).startsWith(text)).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(created()).toBe(1);
    // `times` spent: the next answer is whole.
    expect(await (await post(`${base}/things`)).json()).toEqual({ thing: { id: '2', name: 'a thing' } });
  });

  it('with `after`, passes over the first matching requests: `after: 1, times: 1` garbles the second only', async () => {
    const { base, created } = await creating([
      { route: 'POST /things', kind: 'commit-then-garble', after: 1, times: 1 },
    ]);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await post(`${base}/things`)).text());
    expect(answers.map((a) => a.endsWith('}'))).toEqual([true, false, true]);
    expect(created()).toBe(3);
  });

  it('answers the rule\'s body and status instead, when it has them; an empty answer becomes "{"', async () => {
    const { base, created } = await creating([
      { route: 'POST /things', kind: 'commit-then-garble', status: 200, body: { thing: { id: 7 } } },
      { route: 'POST /nothing', kind: 'commit-then-garble' },
    ]);
    const res = await post(`${base}/things`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ thing: { id: 7 } });
    expect(created()).toBe(1);
    const empty = await post(`${base}/nothing`);
    expect([empty.status, await empty.text()]).toEqual([200, '{']);
  });
});
