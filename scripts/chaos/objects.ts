/**
 * What the providers hold after a chaos run, read from each simulator's `GET /_simulator/state`:
 * every object created, attributed to the onboarding it belongs to by the keys the product derives
 * from the onboarding id, and the envelopes still open for signing.
 *
 * Each simulator says what it holds, under which keys, how many of each kind one onboarding with
 * one signer creates by signing provider, and which envelopes are open (simulators/<name>/objects.ts);
 * this file attributes, counts and compares, for every simulator of the registry.
 */
import type { SimulatorName } from '../../simulators';
import { signingSimulators, simulatorModules } from '../../simulators/registry';
import type { HeldObjects } from '../../simulators/simulator-module';
import {
  signingProviderModules,
  signingProviderNames,
  type SigningProviderName,
} from '../../src/providers/registry';

/** Each simulator's `GET /_simulator/state`, by the name of the provider it simulates. */
export type ProviderStates = Record<SimulatorName, unknown>;

export interface RunOnboarding {
  onboardingId: string;
  provider: SigningProviderName;
  completed: boolean;
}

export interface ObjectTally {
  /** e.g. `Securities proposals`. */
  name: string;
  /** Expected per onboarding, by signing provider. */
  expected: Record<SigningProviderName, number>;
  /** Objects found, per onboarding. */
  perOnboarding: Map<string, number>;
  /** Objects of no onboarding of this run. */
  unattributed: number;
  /** What the simulator's `counts` says it created. */
  counted: number;
}

export interface OpenEnvelope {
  provider: SigningProviderName;
  envelopeId: string;
  onboardingId: string | undefined;
}

/** The run's onboarding behind each key a simulator's objects are created under. */
function ownerOf(objects: HeldObjects, onboardings: RunOnboarding[]) {
  const byKey = new Map<string, string>();
  for (const { onboardingId } of onboardings)
    for (const key of objects.keysOf(onboardingId)) byKey.set(key, onboardingId);
  return (key: string | undefined) => (key === undefined ? undefined : byKey.get(key));
}

/** Every kind of object the onboarding creates, counted per onboarding. */
export function tallyObjects(states: ProviderStates, onboardings: RunOnboarding[]): ObjectTally[] {
  return simulatorModules.flatMap(({ name, objects }) => {
    const owner = ownerOf(objects, onboardings);
    return objects.read(states[name]).kinds.map((kind): ObjectTally => {
      const perOnboarding = new Map<string, number>();
      let unattributed = 0;
      for (const key of kind.keys) {
        const onboardingId = owner(key);
        if (onboardingId === undefined) unattributed += 1;
        else perOnboarding.set(onboardingId, (perOnboarding.get(onboardingId) ?? 0) + 1);
      }
      const expected = Object.fromEntries(signingProviderModules.map((p) => [p.name, kind.expected(p)]));
      return {
        name: kind.name,
        expected: expected as Record<SigningProviderName, number>,
        perOnboarding,
        unattributed,
        counted: kind.counted ?? NaN,
      };
    });
  });
}

/** Envelopes that can still be signed, at every signing provider (each simulator says which are open). */
export function openEnvelopes(states: ProviderStates, onboardings: RunOnboarding[]): OpenEnvelope[] {
  return signingProviderNames.flatMap((provider) => {
    const { objects } = signingSimulators[provider];
    const owner = ownerOf(objects, onboardings);
    return objects
      .read(states[provider])
      .openEnvelopes.map((e) => ({ provider, envelopeId: e.envelopeId, onboardingId: owner(e.key) }));
  });
}

/** The rules broken: an object created twice (or for nobody), counts that disagree, envelopes left open. */
export function objectViolations(
  tallies: ObjectTally[],
  open: OpenEnvelope[],
  onboardings: RunOnboarding[],
): string[] {
  const violations: string[] = [];
  for (const t of tallies) {
    for (const o of onboardings) {
      const seen = t.perOnboarding.get(o.onboardingId) ?? 0;
      const expected = t.expected[o.provider];
      // An onboarding that did not complete may have stopped before creating everything.
      if (seen === expected || (!o.completed && seen < expected)) continue;
      violations.push(`${o.onboardingId} (${o.provider}): ${seen} ${t.name}, expected ${expected}`);
    }
    if (t.unattributed > 0) violations.push(`${t.unattributed} ${t.name} belong to no onboarding`);
    const listed = [...t.perOnboarding.values()].reduce((a, b) => a + b, 0) + t.unattributed;
    if (listed !== t.counted)
      violations.push(`${t.name}: the simulator counted ${t.counted}, holds ${listed}`);
  }
  const completed = new Set(onboardings.filter((o) => o.completed).map((o) => o.onboardingId));
  for (const e of open) {
    const whose =
      e.onboardingId === undefined
        ? 'no onboarding'
        : `${e.onboardingId}, ${completed.has(e.onboardingId) ? 'completed' : 'not completed'}`;
    violations.push(`${e.provider} envelope ${e.envelopeId} left open (${whose})`);
  }
  return violations;
}
