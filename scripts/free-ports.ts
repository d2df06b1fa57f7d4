/** Free TCP ports on 127.0.0.1, chosen by the OS, for servers a script or a test starts of its own. */
import { createServer, type AddressInfo, type Server } from 'node:net';

/** `n` distinct free ports: each is held open until all are known, so none is handed out twice. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A base port `b` in [from, to) such that `b + offset` is free for every offset: for a server that
 * takes its ports at fixed distances from one (the stack's Temporal server).
 */
export async function freePortBlock(offsets: readonly number[], from: number, to: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from));
    if ((await Promise.all(offsets.map((d) => isFree(base + d)))).every(Boolean)) return base;
  }
  throw new Error(`no block of free ports at offsets ${offsets.join(', ')} between ${from} and ${to}`);
}
