/**
 * A file a provider answers as raw bytes, streamed, and what the answer's headers say about it
 * (length, file name).
 */
import type { Readable } from 'node:stream';

/** A file answered as raw bytes, streamed: the caller must consume or destroy `body`. */
export interface FileDownload {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
  /** From `Content-Disposition`, when the answer names the file. */
  fileName: string | undefined;
}

/** A file answer described by its headers (`Content-Length`, `Content-Disposition`). */
export function fileDownload(
  headers: Record<string, string | string[] | undefined>,
  contentType: string,
  body: Readable,
): FileDownload {
  const length = Number(headerValue(headers['content-length']));
  return {
    body,
    contentType,
    contentLength: Number.isFinite(length) && length >= 0 ? length : undefined,
    fileName: fileNameOf(headerValue(headers['content-disposition'])),
  };
}

/** The first value of a header that may come repeated. */
export const headerValue = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/** The file name in a `Content-Disposition` header: `filename*` (RFC 6266) first, then `filename`. */
export function fileNameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(disposition);
  return plain?.[2]?.trim();
}
