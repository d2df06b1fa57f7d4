export {
  SecuritiesClient,
  readSecuritiesError,
  type SecuritiesClientOptions,
  type SignedFile,
} from './client';
export {
  createSecuritiesSimulator,
  renderPdf,
  securitiesSimulatorOptions,
  type SecuritiesSimulatorOptions,
} from './simulator';
export * from './schemas';
