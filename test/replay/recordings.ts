/**
 * The recorded histories the replay test holds (test/fixtures/histories): for each code path an
 * onboarding may still be running on, what was recorded when that path was current. A path ends
 * when a patch changed the code after it; its recordings stay until that patch is deprecated,
 * since onboardings started on the path replay until then (docs/versioning.md). The current path
 * is named after the newest patch, and `npm run record:histories` writes its recordings.
 */
import type { SigningProviderName } from '../../src/domain/input';
import { patches, type PatchId } from '../../src/workflows/onboarding/patches';

/**
 * What a recording runs through: the happy path for every signing provider; a resent token once;
 * a refused CCB proposal parked in needs_attention and retried by an operator once.
 */
export type Scenario = 'happy-path' | 'sms-resend' | 'repair';

export interface CodePath {
  /** How its files end: `<provider>-<scenario><suffix>`. */
  suffix: string;
  /** The patch after it: its recordings go when that patch is deprecated. Undefined: the current path. */
  until?: PatchId;
  /**
   * Recorded before payloads were bound to their onboarding (in clear or encrypted for none): they
   * replay only as a deployment in a migration window reads them (TEMPORAL_PAYLOAD_MIGRATION_UNTIL).
   */
  unbound?: true;
}

const patchIds = Object.values(patches);
/** The newest patch names the current code path. */
export const currentPath = patchIds[patchIds.length - 1]!;

export const codePaths: CodePath[] = [
  // Before the first patch: recorded before payloads were encrypted, and again after.
  { suffix: '.json', until: patches.fewerWritesJitter, unbound: true },
  { suffix: '.encrypted.json', until: patches.fewerWritesJitter, unbound: true },
  { suffix: '-fewer-writes-jitter.encrypted.json', until: patches.localStatusChecks, unbound: true },
  // Assine Bem's upload identifier obtained first needed no patch (the activity's answer says which).
  { suffix: '-upload-identifier-first.encrypted.json', until: patches.localStatusChecks, unbound: true },
  { suffix: '-local-status-checks.encrypted.json', until: patches.providerRoutes, unbound: true },
  { suffix: '-provider-routes.encrypted.json', until: patches.verifiedCommands, unbound: true },
  { suffix: '-verified-commands.encrypted.json', until: patches.repairs },
  { suffix: '-repairs.encrypted.json', until: patches.evidence },
  { suffix: `-${currentPath}.encrypted.json` },
];

/** The code path a recording's file belongs to: the one whose ending it has, the longest. */
export const codePathOf = (file: string): CodePath | undefined =>
  codePaths.filter((p) => file.endsWith(p.suffix)).sort((a, b) => b.suffix.length - a.suffix.length)[0];

export const recordingFile = (provider: string, scenario: Scenario, path: CodePath): string =>
  `${provider}-${scenario}${path.suffix}`;

/**
 * What the current path has recorded: the happy path of every signing provider; a resent token and
 * a repair with the first.
 */
export const currentRecordings = (
  providers: readonly SigningProviderName[],
): Array<{ provider: SigningProviderName; scenario: Scenario }> => [
  ...providers.map((provider) => ({ provider, scenario: 'happy-path' as const })),
  { provider: providers[0]!, scenario: 'sms-resend' },
  { provider: providers[0]!, scenario: 'repair' },
];
