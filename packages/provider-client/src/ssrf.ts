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

/**
 * Hosts an operator lets connectors reach inside the private network (PRIVATE_TARGET_ALLOWLIST):
 * names or IP addresses, compared case-insensitively; a listed address also passes when a name
 * resolves to it.
 */
export type HostAllowlist = readonly string[];

function listed(host: string, allowlist: HostAllowlist): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return allowlist.some((entry) => entry.replace(/^\[|\]$/g, '').toLowerCase() === bare);
}

function refuse(host: string, address: string, reason: string): TargetRefusedError {
  const resolved = host === address ? address : `${host} (${address})`;
  return new TargetRefusedError(
    `${resolved} is ${reason}: connectors may only reach public addresses ` +
      '(list the host in PRIVATE_TARGET_ALLOWLIST, or set ALLOW_PRIVATE_NETWORK_TARGETS=true, to allow it)',
  );
}

/** Refuses a URL whose host is an IP literal outside the public internet (names are checked at lookup). */
export function assertPublicHostLiteral(url: URL, allowlist: HostAllowlist = []): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host) || listed(host, allowlist)) return;
  const reason = refusalReason(host);
  if (reason) throw refuse(host, host, reason);
}

/** Every address a host name resolves to (the system's resolver, dns.lookup, unless told otherwise). */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (host) =>
  new Promise((resolve, reject) =>
    lookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup that refuses names resolving to non-public addresses. It runs for the connection
 * itself, so a name that changes its answer between a check and the request (DNS rebinding) is caught.
 */
export function publicOnlyLookup(allowlist: HostAllowlist = [], resolver: HostResolver = systemResolver) {
  return (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions | LookupCallback,
    callback?: LookupCallback,
  ): void => {
    const callBack = (typeof options === 'function' ? options : callback) as LookupCallback;
    // Called back outside the promise, as dns.lookup does: a throw there is not a lost rejection.
    const done: LookupCallback = (...answer) => process.nextTick(() => callBack(...answer));
    const lookupOptions = typeof options === 'function' ? {} : options;
    const family = familyOf(lookupOptions.family);
    resolver(hostname).then(
      (resolved) => {
        // Every address the name has is checked, not only those of the family asked for.
        const refusal = refusalOf(hostname, resolved, allowlist);
        if (refusal) return done(refusal as unknown as NodeJS.ErrnoException, []);
        const addresses = family ? resolved.filter((entry) => entry.family === family) : resolved;
        if (addresses.length === 0) return done(notFound(hostname), []);
        if ((lookupOptions as LookupAllOptions).all) return done(null, addresses);
        const [first] = addresses;
        return done(null, first!.address, first!.family);
      },
      (error: NodeJS.ErrnoException) => done(error, []),
    );
  };
}

/** dns.lookup's family option (4, 6, 'IPv4', 'IPv6', 0 or none for either) as a number. */
function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/** The refusal for a name resolving to these addresses, or null when all of them may be reached. */
function refusalOf(
  host: string,
  addresses: LookupAddress[],
  allowlist: HostAllowlist,
): TargetRefusedError | null {
  if (listed(host, allowlist)) return null;
  for (const { address } of addresses) {
    const reason = listed(address, allowlist) ? null : refusalReason(address);
    if (reason) return refuse(host, address, reason);
  }
  return null;
}

/** Before saving a URL: refuses it when its host is, or resolves to, a non-public address. */
export async function assertPublicTarget(
  url: URL,
  allowlist: HostAllowlist = [],
  resolver: HostResolver = systemResolver,
): Promise<void> {
  assertPublicHostLiteral(url, allowlist);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return;
  const refusal = refusalOf(host, await resolver(host).catch(() => []), allowlist);
  if (refusal) throw refusal;
}
