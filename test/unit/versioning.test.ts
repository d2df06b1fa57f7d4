/**
 * docs/versioning.md against the code it describes: the longest life of an onboarding and its
 * parts, every declared patch with its day and the day it may be deprecated, and the code paths
 * of the recorded histories. A patch added without its row, or a policy maximum changed without
 * the dates, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestLifeMs, longestLifeParts } from '../../src/workflows/onboarding/lifetime';
import { patchSince, patches } from '../../src/workflows/onboarding/patches';
import { codePaths } from '../replay/recordings';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'versioning.md'), 'utf8');
const DAY = 86_400_000;
const lifeDays = Math.ceil(longestLifeMs() / DAY);

describe('docs/versioning.md', () => {
  it('states the longest life the policy maxima and call timeouts add up to, part by part', () => {
    expect(doc).toContain(`**${lifeDays} days**`);
    for (const { part } of longestLifeParts()) expect(doc).toContain(`| ${part}`);
  });

  it('lists every patch with its day and the first day it may be deprecated', () => {
    for (const id of Object.values(patches)) {
      const since = patchSince[id];
      const earliest = new Date(Date.parse(`${since}T00:00:00Z`) + lifeDays * DAY).toISOString().slice(0, 10);
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\``));
      expect(row, id).toBeDefined();
      expect(row).toContain(`| ${since} `);
      expect(row).toMatch(new RegExp(`\\| ${earliest} +\\|$`));
    }
  });

  it('names every code path the replay test holds, and the patch that retires it', () => {
    for (const path of codePaths) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${path.suffix}\``));
      expect(row, path.suffix).toBeDefined();
      expect(row).toContain(path.until === undefined ? '(current)' : `\`${path.until}\``);
    }
  });
});
