/**
 * What each simulator folder exports (its index.ts): one object that names the provider it
 * simulates, builds its server from the simulators' configuration, and says what the tests and the
 * chaos run need to know about it. The registry (./registry.ts) lists these objects; the ports, the
 * base URLs, the chaos run's counts and the webhook tests take what they need from them.
 */
import type { z } from 'zod';
import type { SigningProviderModules, SigningProviderName } from '../src/providers/registry';
import type { SimulatorConfig } from './shared-env';
import type { SimulatorServer } from './kit';

/** One kind of object a simulator holds (e.g. `Securities proposals`), as the chaos run counts it. */
export interface HeldKind {
  name: string;
  /** How many one onboarding with one signer creates, by the signing provider it signs with. */
  expected(signing: SigningProviderModules[number]): number;
  /** The key each object was created under (see `HeldObjects.keysOf`), one entry per object; undefined: none. */
  keys: Array<string | undefined>;
  /** How many the simulator's `counts` says it created. */
  counted: number | undefined;
}

/** An envelope that can still be signed, with the key it was created under. */
export interface HeldEnvelope {
  envelopeId: string;
  key: string | undefined;
}

/** What a simulator holds, read from its `GET /_simulator/state`. */
export interface HeldObjects {
  /**
   * The keys the product derives from an onboarding id for the objects here (a reference, a number,
   * an external id): an object created under one of them belongs to that onboarding.
   */
  keysOf(onboardingId: string): string[];
  /** Every kind of object the onboarding creates here, and the envelopes still open. */
  read(state: unknown): { kinds: HeldKind[]; openEnvelopes: HeldEnvelope[] };
}

export interface SimulatorModule<
  Name extends string = string,
  Env extends z.ZodObject = z.ZodObject,
  Server extends SimulatorServer = SimulatorServer,
> {
  readonly name: Name;
  /** Variables of this simulator only (merged into the simulators' configuration). */
  readonly env?: Env;
  /** Its server, to listen on `port` (0: any free one). */
  create(config: SimulatorConfig & z.infer<Env>, port: number): Server;
  readonly objects: HeldObjects;
}

export interface SigningSimulatorModule<
  Name extends SigningProviderName = SigningProviderName,
  Env extends z.ZodObject = z.ZodObject,
> extends SimulatorModule<Name, Env> {
  /** The body of its `POST /_simulator/sign` that has every pending signer of the envelope sign now. */
  signRequest(envelopeId: string): object;
  /** The body of its webhook delivery when a signer of the envelope signs (proved as `webhook.auth` says). */
  webhookBody(envelopeId: string): object;
  /** What its webhook deliveries say happened. */
  readonly webhookEvents: {
    of(body: unknown): unknown;
    /** The events, in order, when `signers` signers sign one after the other. */
    whenAllSign(signers: number): unknown[];
    /** The events when the only signer refuses (each signing simulator has a signer whose name contains "Recusa" refuse). */
    whenRefused: unknown[];
  };
}

/** Declares a simulator; the literal name is kept so the registry can check one per provider. */
export const defineSimulator = <
  Name extends string,
  Env extends z.ZodObject = z.ZodObject,
  Server extends SimulatorServer = SimulatorServer,
>(
  module: SimulatorModule<Name, Env, Server>,
): SimulatorModule<Name, Env, Server> => module;

/** Declares the simulator of a signing provider. */
export const defineSigningSimulator = <
  Name extends SigningProviderName,
  Env extends z.ZodObject = z.ZodObject,
>(
  module: SigningSimulatorModule<Name, Env>,
): SigningSimulatorModule<Name, Env> => module;
