/** The Securities simulator, as the registry (../registry.ts) lists it. */
import { z } from 'zod';
import { defineSigningSimulator } from '../simulator-module';
import { securitiesObjects } from './objects';
import { createSecuritiesSimulator, securitiesSimulatorOptions } from './simulator';

const webhookBody = z.object({ event: z.object({ name: z.string() }) });

export const securitiesSimulator = defineSigningSimulator({
  name: 'securities',
  create: (config, port) => createSecuritiesSimulator(securitiesSimulatorOptions(config, port)),
  signRequest: (envelopeId) => ({ documentKey: envelopeId }),
  webhookBody: (envelopeId) => ({ event: { name: 'sign' }, document: { key: envelopeId } }),
  webhookEvents: {
    of: (body) => webhookBody.parse(body).event.name,
    // The document closes after the last signature: `auto_close` follows its `sign`.
    whenAllSign: (signers) => [...Array<string>(signers).fill('sign'), 'auto_close'],
    whenRefused: ['refusal'],
  },
  objects: securitiesObjects,
});
