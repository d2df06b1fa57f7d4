import type { CcbDocumentSource } from '../../signing/ccb-document';
import { ContractError, ProviderError } from '../errors';
import type { SecuritiesClient } from './client';

/** The proposal's rendered PDF, from Securities, for the other signing providers. */
export class SecuritiesCcbDocuments implements CcbDocumentSource {
  constructor(private readonly client: SecuritiesClient) {}

  async fileUrl(documentKey: string): Promise<string> {
    const document = await this.client.getDocumentByKey(documentKey);
    if (!document.file) {
      throw new ProviderError({
        provider: 'securities',
        operation: 'getDocumentByKey',
        kind: 'business',
        providerMessage: 'the proposal document has not been rendered yet',
        retryable: true,
      });
    }
    // The signing provider fetches it: a malformed URL is a contract break, not something to retry.
    if (!URL.canParse(document.file.url)) {
      throw new ContractError('securities', 'getDocumentByKey', 200, [
        { path: 'document.file.url', message: 'is not a URL' },
      ]);
    }
    return document.file.url;
  }

  async open(documentKey: string) {
    return this.client.downloadFile(await this.fileUrl(documentKey));
  }
}
