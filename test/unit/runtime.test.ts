// The project's runtime is Node.js 24 LTS (engines, the Dockerfile, scripts/node-lts.mjs, which runs
// every test command on it): the suite itself checks that it runs there, and says on which node.
import { describe, expect, it } from 'vitest';

describe('the runtime', () => {
  it('is Node.js 24 or later', () => {
    console.log(`tests run on Node ${process.version} (${process.execPath})`);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });
});
