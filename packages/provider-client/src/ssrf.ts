import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { TargetRefusedError } from './errors.js';

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  linkLocal: 'a link-local address (cloud metadata services live there)',
  uniqueLocal: 'a private IPv6 (unique local) address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  carrierGradeNat: 'a carrier-grade NAT address',
  reserved: 'a reserved address',
};

/** Why an IP address is not a public unicast one, or null when it is. */
export function refusalReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : (RANGE_NAMES[range] ?? `a ${range} address`);
}

function refuse(host: string, address: string, reason: string): TargetRefusedError {
  const resolved = host === address ? address : `${host} (${address})`;
  return new TargetRefusedError(
    `${resolved} is ${reason}: connectors may only reach public addresses ` +
      '(set ALLOW_PRIVATE_NETWORK_TARGETS=true to allow private ones)',
  );
}

/** Refuses a URL whose host is an IP literal outside the public internet (names are checked at lookup). */
export function assertPublicHostLiteral(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return;
  const reason = refusalReason(host);
  if (reason) throw refuse(host, host, reason);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup that refuses names resolving to non-public addresses. It runs for the connection
 * itself, so a name that changes its answer between a check and the request (DNS rebinding) is caught.
 */
export function publicOnlyLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions | LookupCallback,
  callback?: LookupCallback,
): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const lookupOptions = typeof options === 'function' ? {} : options;
  lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
    if (error) return done(error, []);
    for (const { address } of addresses) {
      const reason = refusalReason(address);
      if (reason) return done(refuse(hostname, address, reason) as unknown as NodeJS.ErrnoException, []);
    }
    if ((lookupOptions as LookupAllOptions).all) return done(null, addresses);
    const [first] = addresses;
    return done(null, first!.address, first!.family);
  });
}

/** Before saving a URL: refuses it when its host is, or resolves to, a non-public address. */
export async function assertPublicTarget(url: URL): Promise<void> {
  assertPublicHostLiteral(url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return;
  const addresses = await lookupAll(host).catch(() => []);
  for (const { address } of addresses) {
    const reason = refusalReason(address);
    if (reason) throw refuse(host, address, reason);
  }
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}
