/**
 * What every provider simulator shares: a real HTTP server on loopback, routing, body parsing
 * (JSON, url-encoded, multipart), fault injection per route, and the `/_simulator/*` endpoints.
 *
 * Fault rules (set with `SIMULATOR_FAULTS`, the `faults` option, or `POST /_simulator/faults`):
 *   { "route": "POST /v1/proposals", "kind": "status", "status": 503, "times": 2 }
 *   { "route": "POST /v1/proposals", "kind": "status", "status": 429, "retryAfterSeconds": 1 }
 *   { "route": "*", "kind": "latency", "latencyMs": 200 }
 *   { "route": "GET /v1/proposals/:id", "kind": "drop" }             connection closed, nothing done
 *   { "route": "POST /v1/proposals", "kind": "commit-then-drop" }    done, then connection closed
 *   { "route": "POST /v1/proposals", "kind": "commit-then-garble" }  done, then a garbled answer
 * `route` is the route's method and pattern exactly as the simulator declares it (listed at
 * `GET /_simulator/routes`), or `*`. `times` (default: every request) counts matching requests;
 * `after` passes over that many matching requests first (they neither take the fault nor count in
 * `times`: `after: 1, times: 1` is the second request only); `body` replaces the default error
 * body of a `status` fault.
 *
 * `commit-then-garble` lets the request do what it asks, then answers with a body that breaks any
 * JSON contract: the first half of the simulator's own answer (an unterminated JSON text), with
 * the simulator's status (201 for a create, 200 for an answer with an in-body code). With `body`,
 * that JSON is the answer instead (a wrongly typed field, say); with `status`, that status.
 *
 * `probability` (0 to 1) applies a rule to each matching request with that chance, drawn from a
 * PRNG seeded with the `faultSeed` option (`SIMULATOR_FAULT_SEED`) and the simulator's name, so
 * the same seed and the same requests in the same order give the same faults; `times` then counts
 * the requests the rule applied to; `POST /_simulator/reset` starts the draws over. Every rule
 * draws on its own; a request takes latency from every rule that applies, then the first of drop,
 * status (in the rules' order), commit-then-drop and commit-then-garble.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

export const faultRuleSchema = z.object({
  route: z.string().min(1),
  kind: z.enum(['status', 'latency', 'drop', 'commit-then-drop', 'commit-then-garble']),
  status: z.number().int().min(100).max(599).optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  times: z.number().int().positive().optional(),
  after: z.number().int().nonnegative().optional(),
  probability: z.number().min(0).max(1).optional(),
  body: z.unknown().optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;
export const faultRulesSchema = z.array(faultRuleSchema);

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  /** The body as JSON (undefined when empty); a 400 is answered when it is not JSON. */
  json(): unknown;
  /** The body as url-encoded or multipart form data. */
  form(): Promise<FormData>;
  /** Bearer token of the Authorization header, if any. */
  bearer(): string | undefined;
}

export interface SimResponse {
  status: number;
  json?: unknown;
  body?: Buffer | string;
  headers?: Record<string, string>;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** A request to a simulator's own extra `/_simulator/*` endpoint (see `SimulatorServer.controlRoute`). */
export interface ControlRequest {
  query: URLSearchParams;
  raw: Buffer;
  /** The body as JSON (undefined when empty); a 400 is answered when it is not JSON. */
  json(): unknown;
}
export type ControlHandler = (req: ControlRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: SimHandler;
}

export class SimulatorHttpError extends Error {
  constructor(readonly response: SimResponse) {
    super(`simulated ${response.status}`);
  }
}

export const reply = (status: number, json?: unknown, headers?: Record<string, string>): SimResponse => ({
  status,
  json,
  ...(headers ? { headers } : {}),
});

/** A request body as JSON (undefined when empty); a 400 is answered when it is not JSON. */
function jsonOf(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SimulatorHttpError(reply(400, { message: 'body is not valid JSON' }));
  }
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  faults?: FaultRule[];
  /** Seeds the draws of rules with a `probability`; a random seed when unset. */
  faultSeed?: number | undefined;
}

/** mulberry32: a small, fast PRNG with 32 bits of state; values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one simulator's draws: the run's seed mixed with its name, so simulators differ. */
const faultSeedFor = (seed: number, name: string): number => {
  let h = seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return h;
};

export class SimulatorServer {
  private readonly routes: Route[] = [];
  private faults: Array<FaultRule & { used: number; passed: number }> = [];
  private readonly faultSeed: number;
  private draw: () => number;
  private server: Server | undefined;
  private stateProvider: () => unknown = () => ({});
  private resetHandler: () => void = () => undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly controlRoutes = new Map<string, ControlHandler>();
  /** Requests seen per route, for tests that prove how often something was called. */
  readonly hits = new Map<string, number>();
  baseUrl = '';

  constructor(
    readonly name: string,
    private readonly options: SimulatorOptions = {},
    /** Prefix of every provider route, e.g. `/api`; the `/_simulator` routes have none. */
    readonly prefix = '',
  ) {
    this.faultSeed = faultSeedFor(options.faultSeed ?? Math.floor(Math.random() * 2 ** 32), name);
    this.draw = seededRandom(this.faultSeed);
    this.setFaults(options.faults ?? []);
  }

  route(method: string, pattern: string, handler: SimHandler): this {
    const keys: string[] = [];
    const full = this.prefix + pattern;
    const regex = new RegExp(
      '^' +
        full
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, key: string) => {
            keys.push(key);
            return '([^/]+)';
          }) +
        '/?$',
    );
    this.routes.push({ method: method.toUpperCase(), pattern, regex, keys, handler });
    return this;
  }

  /** An extra `/_simulator/<path>` endpoint of one simulator (exact path, no faults applied). */
  controlRoute(method: string, path: string, handler: ControlHandler): this {
    this.controlRoutes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  onState(provider: () => unknown): this {
    this.stateProvider = provider;
    return this;
  }

  onReset(handler: () => void): this {
    this.resetHandler = handler;
    return this;
  }

  setFaults(rules: FaultRule[]): void {
    this.faults = faultRulesSchema.parse(rules).map((r) => ({ ...r, used: 0, passed: 0 }));
  }

  addFaults(rules: FaultRule[]): void {
    this.faults.push(...faultRulesSchema.parse(rules).map((r) => ({ ...r, used: 0, passed: 0 })));
  }

  /** Routes as `METHOD /pattern`, the names fault rules use. */
  routeNames(): string[] {
    return this.routes.map((r) => `${r.method} ${r.pattern}`);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `simulator error: ${(err as Error).message}` }));
        }
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeFaults(routeName: string): FaultRule[] {
    const matched: FaultRule[] = [];
    for (const f of this.faults) {
      if (f.route !== '*' && f.route !== routeName) continue;
      if (f.times !== undefined && f.used >= f.times) continue;
      if (f.after !== undefined && f.passed < f.after) {
        f.passed += 1;
        continue;
      }
      if (f.probability !== undefined && this.draw() >= f.probability) continue;
      f.used += 1;
      matched.push(f);
    }
    return matched;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);

    if (url.pathname.startsWith('/_simulator/')) {
      return this.send(res, await this.control(req.method ?? 'GET', url.pathname, raw, url.searchParams));
    }

    const method = (req.method ?? 'GET').toUpperCase();
    let match: { route: Route; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      match = { route, params };
      break;
    }
    if (!match) return this.send(res, reply(404, { message: `no route ${method} ${url.pathname}` }));
    const routeName = `${match.route.method} ${match.route.pattern}`;
    this.hits.set(routeName, (this.hits.get(routeName) ?? 0) + 1);

    const faults = this.takeFaults(routeName);
    for (const f of faults.filter((x) => x.kind === 'latency')) await sleep(f.latencyMs ?? 0);
    if (faults.some((f) => f.kind === 'drop')) {
      req.socket.destroy();
      return;
    }
    const statusFault = faults.find((f) => f.kind === 'status');
    if (statusFault) {
      const status = statusFault.status ?? 503;
      const headers: Record<string, string> = {};
      if (statusFault.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(statusFault.retryAfterSeconds);
      return this.send(res, {
        status,
        json: statusFault.body ?? { message: `simulated fault ${status}` },
        headers,
      });
    }

    const simReq: SimRequest = {
      method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      raw,
      json: () => jsonOf(raw),
      form: async () => {
        const contentType = req.headers['content-type'] ?? '';
        try {
          return await new Response(raw, { headers: { 'content-type': contentType } }).formData();
        } catch {
          throw new SimulatorHttpError(reply(400, { message: 'body is not form data' }));
        }
      },
      bearer: () => {
        const h = req.headers.authorization;
        const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
        return m?.[1]?.trim();
      },
    };

    let response: SimResponse;
    try {
      response = await match.route.handler(simReq);
    } catch (err) {
      if (err instanceof SimulatorHttpError) response = err.response;
      else throw err;
    }
    if (faults.some((f) => f.kind === 'commit-then-drop')) {
      req.socket.destroy();
      return;
    }
    const garble = faults.find((f) => f.kind === 'commit-then-garble');
    this.send(res, garble ? garbled(response, garble) : response);
  }

  private async control(
    method: string,
    path: string,
    raw: Buffer,
    query = new URLSearchParams(),
  ): Promise<SimResponse> {
    if (method === 'GET' && path === '/_simulator/state') return reply(200, this.stateProvider());
    if (method === 'GET' && path === '/_simulator/routes') return reply(200, this.routeNames());
    if (method === 'GET' && path === '/_simulator/hits') return reply(200, Object.fromEntries(this.hits));
    if (method === 'GET' && path === '/_simulator/faults') return reply(200, this.faults);
    if (method === 'DELETE' && path === '/_simulator/faults') {
      this.setFaults([]);
      return reply(204);
    }
    if ((method === 'POST' || method === 'PUT') && path === '/_simulator/faults') {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(400, { message: 'fault rules must be JSON' });
      }
      const parsed = faultRulesSchema.safeParse(Array.isArray(body) ? body : [body]);
      if (!parsed.success) return reply(400, { message: z.prettifyError(parsed.error) });
      if (method === 'PUT') this.setFaults(parsed.data);
      else this.addFaults(parsed.data);
      return reply(200, this.faults);
    }
    if (method === 'POST' && path === '/_simulator/reset') {
      this.resetHandler();
      this.setFaults([]);
      this.draw = seededRandom(this.faultSeed);
      this.hits.clear();
      return reply(204);
    }
    const extra = this.controlRoutes.get(`${method.toUpperCase()} ${path}`);
    if (extra) {
      try {
        return await extra({ query, raw, json: () => jsonOf(raw) });
      } catch (err) {
        if (err instanceof SimulatorHttpError) return err.response;
        throw err;
      }
    }
    return reply(404, { message: `no simulator route ${method} ${path}` });
  }

  private send(res: ServerResponse, r: SimResponse): void {
    const headers: Record<string, string> = { ...r.headers };
    let body: Buffer | string | undefined = r.body;
    if (r.json !== undefined) {
      headers['content-type'] ??= 'application/json; charset=utf-8';
      body = JSON.stringify(r.json);
    }
    res.writeHead(r.status, headers);
    res.end(body);
  }
}

/**
 * The answer of a `commit-then-garble` rule: the rule's `body` (JSON) when it has one, else the
 * first half of the answer's text, which no JSON parser accepts (an answer with no body becomes a
 * lone `{`); the rule's `status` when it has one, else the answer's own.
 */
export function garbled(response: SimResponse, rule: Pick<FaultRule, 'body' | 'status'>): SimResponse {
  const status = rule.status ?? response.status;
  // The body changes length: a length the handler set would no longer match it.
  const kept = Object.entries(response.headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-length',
  );
  const headers = { ...Object.fromEntries(kept), 'content-type': 'application/json; charset=utf-8' };
  if (rule.body !== undefined) return { status, headers, json: rule.body };
  const raw = response.body ?? '';
  const text =
    response.json !== undefined
      ? JSON.stringify(response.json)
      : typeof raw === 'string'
        ? raw
        : raw.toString('utf8');
  const half = text.slice(0, Math.floor(text.length / 2));
  return { status, headers, body: half === '' || parsesAsJson(half) ? `{${half}` : half };
}

const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Sequential ids and UUIDs that are unique per simulator instance. */
export class IdSource {
  private next = 1;
  id(): number {
    return this.next++;
  }
  uuid(): string {
    return crypto.randomUUID();
  }
}
