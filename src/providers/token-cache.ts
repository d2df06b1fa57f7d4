/**
 * A provider token cached per worker process until shortly before it expires. Concurrent callers
 * share one fetch; a 401 invalidates the token it was seen with, once, so the caller retries with a
 * fresh one. Tokens never leave this object except as the Authorization header value.
 */
export interface IssuedToken {
  token: string;
  /** Epoch milliseconds when the provider stops accepting it. */
  expiresAt: number;
}

/** Told of every token fetched, by provider (the worker counts them as a metric). Never the token. */
type TokenFetchListener = (provider: string) => void;
const listeners = new Set<TokenFetchListener>();
export function onTokenFetched(listener: TokenFetchListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class TokenCache {
  private current: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;
  /** How many tokens were fetched; visible for tests and metrics, never the tokens themselves. */
  fetches = 0;

  constructor(
    /** The provider's name, for the metric. */
    private readonly provider: string,
    private readonly issue: () => Promise<IssuedToken>,
    /** Refresh this long before the expiry the provider announced. */
    private readonly skewMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.current && this.now() < this.current.expiresAt - this.skewMs) return this.current.token;
    this.pending ??= this.issue()
      .then((t) => {
        this.fetches += 1;
        for (const listener of listeners) listener(this.provider);
        this.current = t;
        return t;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return (await this.pending).token;
  }

  /** Forget `token` if it is still the cached one (another caller may have refreshed it already). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  /**
   * Runs `call` with a token; when it reports the token rejected, runs it once more with a fresh one.
   * `rejected` tells whether an error means "token not accepted" (HTTP 401, Signio codigo 01, ...).
   */
  async withToken<T>(call: (token: string) => Promise<T>, rejected: (err: unknown) => boolean): Promise<T> {
    const token = await this.get();
    try {
      return await call(token);
    } catch (err) {
      if (!rejected(err)) throw err;
      this.invalidate(token);
      return call(await this.get());
    }
  }
}
