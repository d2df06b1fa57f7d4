/** The Assine Bem simulator, as the registry (../registry.ts) lists it. */
import { z } from 'zod';
import { defineSigningSimulator } from '../simulator-module';
import { assineBemObjects } from './objects';
import { assineBemSimulatorEnv, assineBemSimulatorOptions, createAssineBemSimulator } from './simulator';

const webhookBody = z.object({ evento: z.string() });

export const assineBemSimulator = defineSigningSimulator({
  name: 'assinebem',
  env: assineBemSimulatorEnv,
  create: (config, port) => createAssineBemSimulator(assineBemSimulatorOptions(config, port)),
  signRequest: (envelopeId) => ({ id_externo_documento: envelopeId }),
  webhookBody: (envelopeId) => ({ id_externo_documento: envelopeId, evento: 'assinatura' }),
  webhookEvents: {
    of: (body) => webhookBody.parse(body).evento,
    whenAllSign: (signers) => [...Array<string>(signers).fill('assinatura'), 'concluido'],
    whenRefused: ['recusa'],
  },
  objects: assineBemObjects,
});
