/**
 * Refuses feed URLs that lead into the worker's own network: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), unique-local, CGNAT, multicast and other non-public ranges. Every
 * address a host name resolves to is checked, on every redirect hop.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Why an address is not public, or undefined when it is an ordinary public unicast address. */
export function nonPublicRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return "invalid";
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 becomes IPv4
  const range = parsed.range();
  return range === "unicast" ? undefined : range;
}

function literalHost(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  return ipaddr.isValid(bare) ? bare : undefined;
}

export interface GuardOptions {
  allowPrivateAddresses: boolean;
  /** Host names allowed to resolve to private addresses even when private addresses are refused. */
  allowedHosts?: string[];
  resolve?: Resolver;
}

/** Resolves and checks a URL's host; returns a reason string when the URL must not be fetched. */
export async function refusedReason(url: URL, opts: GuardOptions): Promise<string | undefined> {
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return `the scheme "${url.protocol}" is not allowed`;
  if (opts.allowPrivateAddresses) return undefined;
  const host = url.hostname.toLowerCase();
  if (opts.allowedHosts?.some((h) => h.toLowerCase() === host)) return undefined;
  const literal = literalHost(host);
  let addresses: string[];
  if (literal) {
    addresses = [literal];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch {
      return `the host "${host}" cannot be resolved`;
    }
  }
  if (addresses.length === 0) return `the host "${host}" cannot be resolved`;
  for (const a of addresses) {
    const range = nonPublicRange(a);
    if (range) {
      return `the host "${host}" resolves to a ${range} address (${a}); private and internal addresses are refused unless the configuration allows them (fetch.allowedHosts: [${host}], or fetch.allowPrivateAddresses: true; --allow-private on the command line)`;
    }
  }
  return undefined;
}
