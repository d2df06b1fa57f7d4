/** What the SDK logged in this test process (every level from WARN), for tests that check logs hold no personal data. */
import { inspect } from 'node:util';
import type { LogEntry } from '@temporalio/worker';

const lines: string[] = ((globalThis as { __workerLog?: string[] }).__workerLog ??= []);

export function recordLog(entry: LogEntry): void {
  lines.push(`${entry.level} ${entry.message} ${inspect(entry.meta ?? {}, { depth: 8 })}`);
  if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
}

/** Every line logged so far in this process. */
export const workerLog = (): string => lines.join('\n');
