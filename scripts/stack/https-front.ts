/**
 * HTTPS in front of a service that serves plain HTTP on loopback: the stack's codec server. The
 * Web UI sends its user's token only to a codec endpoint whose URL begins with `https://` (else it
 * does not call it, and shows the payloads encoded), and the codec server serves plain HTTP only.
 * Requests and answers pass through unchanged (the codec server authenticates and audits each
 * call itself), but for one header of the CORS answer: the Web UI also sends its user's ID token
 * in `Authorization-Extras`, which the codec server ignores but its CORS answer does not allow
 * yet, so the browser would send nothing. The certificate is the stack authority's `codec-https`.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import type { TlsFiles } from './certificates';

export interface HttpsFront {
  url: string;
  close(): Promise<void>;
}

export async function startHttpsFront(target: string, tls: TlsFiles, port: number): Promise<HttpsFront> {
  const upstream = new URL(target);
  const server = createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        const allowed = answer.headers['access-control-allow-headers'];
        if (typeof allowed === 'string' && !/authorization-extras/i.test(allowed))
          answer.headers['access-control-allow-headers'] = `${allowed}, authorization-extras`;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
