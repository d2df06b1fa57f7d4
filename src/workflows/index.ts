// The workflow bundle's entry point: every workflow type the worker registers.
export { creditOnboarding } from './onboarding/workflow';
export { bulkRepair } from './bulk-repair/workflow';
export { onboardingEvents } from './events/workflow';
export { personalDataRetention } from './retention/workflow';
export { personalDataErasure } from './erasure/workflow';
export { signatureSweep } from './signature-sweep/workflow';
