/**
 * A multipart/form-data body that streams its file part: the document goes from one provider's
 * answer to another provider's request without being held in memory. (undici's FormData only takes
 * a Blob, which must be in memory.)
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartFile {
  name: string;
  filename: string;
  contentType: string;
  body: Readable | Buffer;
  /** When known (and for Buffers), the body gets a Content-Length; otherwise it is sent chunked. */
  length?: number | undefined;
}

export interface MultipartBody {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
}

const quote = (value: string): string => value.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));

export function multipartBody(fields: Record<string, string>, files: MultipartFile[]): MultipartBody {
  const boundary = `----credit-onboarding-${randomBytes(12).toString('hex')}`;
  const head = (disposition: string, contentType?: string): Buffer =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n` +
        (contentType ? `Content-Type: ${contentType}\r\n` : '') +
        '\r\n',
    );
  const parts: Array<Buffer | Readable> = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(head(`name="${quote(name)}"`), Buffer.from(value), Buffer.from('\r\n'));
  }
  let length: number | undefined = 0;
  for (const file of files) {
    parts.push(head(`name="${quote(file.name)}"; filename="${quote(file.filename)}"`, file.contentType));
    // A Buffer body is counted with the other Buffers below; a stream's length comes from `file.length`.
    if (!Buffer.isBuffer(file.body)) {
      if (file.length === undefined) length = undefined;
      else if (length !== undefined) length += file.length;
    }
    parts.push(file.body, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const fixed = parts.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : 0), 0);
  async function* generate(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      if (Buffer.isBuffer(part)) yield part;
      else
        for await (const chunk of part)
          yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    }
  }
  return {
    body: Readable.from(generate()),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: length === undefined ? undefined : fixed + length,
  };
}
