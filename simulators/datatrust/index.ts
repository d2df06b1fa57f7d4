/** The Data Trust simulator, as the registry (../registry.ts) lists it. */
import { defineSimulator } from '../simulator-module';
import { dataTrustObjects } from './objects';
import { createDataTrustSimulator, dataTrustSimulatorOptions, type DataTrustSimulator } from './simulator';

export const dataTrustSimulator = defineSimulator({
  name: 'datatrust',
  create: (config, port): DataTrustSimulator =>
    createDataTrustSimulator(dataTrustSimulatorOptions(config, port)),
  objects: dataTrustObjects,
});
