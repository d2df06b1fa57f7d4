/**
 * The ops scripts docker-compose.yml and `npm run stack` both run stay in step with the code: the
 * search attributes ops/temporal/setup.sh registers are the ones the workflow writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { searchAttributeKeys } from '../../src/search-attributes';

const root = join(__dirname, '..', '..');

it('ops/temporal/setup.sh registers every search attribute the onboarding writes, with its type', () => {
  const script = readFileSync(join(root, 'ops', 'temporal', 'setup.sh'), 'utf8');
  const listed = /^attributes="([^"]+)"$/m.exec(script)?.[1]?.split(' ') ?? [];
  const cliType = (type: string) =>
    type
      .toLowerCase()
      .split('_')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
  expect(listed.sort()).toEqual(searchAttributeKeys.map((k) => `${k.name}:${cliType(k.type)}`).sort());
});
