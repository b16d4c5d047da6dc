import { BlockList, isIP } from 'node:net';

/**
 * Where the local stack's servers listen. Loopback by default: the emulators take any credentials and
 * the local secrets are public, so nothing may be reachable from another machine unless asked (HOST).
 */
export const LOOPBACK_HOST = '127.0.0.1';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for an address (or `localhost`) that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The host to put in a URL for a server listening on `host`: a wildcard address is reached through
 * loopback, and an IPv6 address needs its brackets.
 */
export function urlHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === '0.0.0.0' || bare === '::') return LOOPBACK_HOST;
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}
