/**
 * Where signing providers get the rendered CCB: the proposal's document in Securities. Signing
 * implementations take this instead of a Securities client, so each provider folder stays readable
 * on its own.
 */
import type { Readable } from 'node:stream';

export interface CcbDocumentSource {
  /** A URL the signing provider can fetch the rendered PDF from (fresh: storage URLs expire). */
  fileUrl(documentKey: string): Promise<string>;
  /** The rendered PDF as a stream, for providers that take an upload. */
  open(
    documentKey: string,
  ): Promise<{ body: Readable; contentType: string; contentLength?: number | undefined }>;
}
