/** The Signio simulator, as the registry (../registry.ts) lists it. */
import { z } from 'zod';
import { defineSigningSimulator } from '../simulator-module';
import { signioObjects } from './objects';
import { createSignioSimulator, signioSimulatorOptions } from './simulator';

const webhookBody = z.object({ estado: z.number() });

export const signioSimulator = defineSigningSimulator({
  name: 'signio',
  create: (config, port) => createSignioSimulator(signioSimulatorOptions(config, port)),
  signRequest: (envelopeId) => ({ id_transaccion: envelopeId }),
  webhookBody: (envelopeId) => ({ id_transaccion: envelopeId, estado: 2 }),
  webhookEvents: {
    // The body carries the transaction's state: 2 Pendiente de Firma while signers are left, 3 Firmada after the last.
    of: (body) => webhookBody.parse(body).estado,
    whenAllSign: (signers) => [...Array<number>(signers - 1).fill(2), 3],
    whenRefused: [4],
  },
  objects: signioObjects,
});
