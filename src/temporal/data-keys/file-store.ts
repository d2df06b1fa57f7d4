/**
 * The data-key store of the embedded default: one file per onboarding in a folder of the git-ignored
 * cache (`.temporal/data-keys`), named by the SHA-256 of its workflow id. Processes on one machine
 * (worker, API, codec server, tests) share it: a key is created with an exclusive create, so the
 * first writer's key stands; an erasure replaces the file by a rename, so no reader sees half of it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { erasureRecordSchema, type ErasureRecord } from '../../domain/erasure';
import type { DataKeyEntry, DataKeyStore, WrappedDataKey } from './store';

const fileSchema = z.object({
  workflowId: z.string(),
  createdAt: z.string(),
  key: z.object({ wrappedBy: z.string(), wrapped: z.string() }).optional(),
  erasure: erasureRecordSchema.optional(),
});
type KeyFile = z.infer<typeof fileSchema>;

export class FileDataKeyStore implements DataKeyStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private path(workflowId: string): string {
    return join(this.dir, `${createHash('sha256').update(workflowId).digest('hex')}.json`);
  }

  private read(path: string): KeyFile | undefined {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the data-key file ${path} is not one this store wrote`);
    return parsed.data;
  }

  async get(workflowId: string): Promise<DataKeyEntry | undefined> {
    const file = this.read(this.path(workflowId));
    return file === undefined ? undefined : entryOf(file);
  }

  async putIfAbsent(workflowId: string, key: WrappedDataKey): Promise<DataKeyEntry> {
    const path = this.path(workflowId);
    const file: KeyFile = {
      workflowId,
      createdAt: new Date().toISOString(),
      key: { wrappedBy: key.wrappedBy, wrapped: key.wrapped.toString('base64') },
    };
    try {
      writeFileSync(path, JSON.stringify(file), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return entryOf(this.read(path)!);
  }

  async erase(workflowId: string, erasure: ErasureRecord): Promise<'erased' | 'already-erased' | 'no-key'> {
    const path = this.path(workflowId);
    const file = this.read(path);
    if (file === undefined) return 'no-key';
    if (file.erasure !== undefined) return 'already-erased';
    const tomb: KeyFile = { workflowId, createdAt: file.createdAt, erasure };
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, JSON.stringify(tomb), { mode: 0o600 });
    renameSync(temporary, path);
    return 'erased';
  }

  async activeBefore(before: Date, after: string | undefined, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const file = this.read(join(this.dir, name));
      if (file === undefined || file.erasure !== undefined || new Date(file.createdAt) >= before) continue;
      if (after === undefined || file.workflowId > after) ids.push(file.workflowId);
    }
    return ids.sort().slice(0, limit);
  }

  async close(): Promise<void> {}
}

function entryOf(file: KeyFile): DataKeyEntry {
  const createdAt = new Date(file.createdAt);
  if (file.erasure !== undefined) return { state: 'erased', erasure: file.erasure, createdAt };
  if (file.key === undefined) throw new Error('a data-key file holds neither a key nor an erasure');
  return {
    state: 'active',
    key: { wrappedBy: file.key.wrappedBy, wrapped: Buffer.from(file.key.wrapped, 'base64') },
    createdAt,
  };
}
