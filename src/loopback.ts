/**
 * Whether an address is this machine's loopback, decided by parsing it. Development defaults (a
 * generated encryption key, codec token or API key, the simulators' webhook secret) are given on
 * loopback only, so a name that merely begins like a loopback address (`127.evil.example`,
 * `localhost.evil.example`) is not one, and neither is a wildcard (`0.0.0.0`, `::`).
 */
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * An IPv4 address in 127.0.0.0/8, the IPv6 address ::1 (bracketed or not) or one of 127.0.0.0/8
 * mapped into IPv6, or the name `localhost`.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * An address as TEMPORAL_ADDRESS, API_HOST and CODEC_SERVER_HOST hold it: `host`, `host:port`,
 * `[ipv6]:port` or a bare IPv6 address (whose last group is never taken for a port).
 */
export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 6) return isLoopbackHost(address);
  const host = /^(\[[^\]]*\]|[^:[\]]*)(?::\d+)?$/.exec(address)?.[1];
  return host !== undefined && isLoopbackHost(host);
}
