// Where a webhook may go. An uploader names the URL, so it is untrusted: without a check, the
// service would make requests into its own network for them (127.0.0.1 ports, cloud metadata at
// 169.254.169.254) and tell them whether each answered. Refused: loopback, private (RFC 1918,
// RFC 4193), shared (RFC 6598), link-local, multicast, reserved and unspecified addresses, in
// every spelling (decimal "2130706433", IPv4-mapped and NAT64 IPv6), and names that resolve to
// any of them, checked on the address actually connected to, so a name cannot resolve to a
// public address when checked and a private one when used. Operators who deliver to internal
// systems on purpose list them in LEDGERLINE_WEBHOOK_ALLOW (hosts, or CIDR ranges).

import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LedgerlineError } from '../shared/index.ts';
import { ScreeningErrors } from './errors.ts';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv6');
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96), if any. */
function embeddedV4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export interface TargetPolicy {
  /** Hosts (exact names or addresses) and CIDR ranges an operator allows though internal. */
  allow: string[];
}

export function targetPolicyFromEnv(env = process.env): TargetPolicy {
  return { allow: (env.LEDGERLINE_WEBHOOK_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
}

function allowed(policy: TargetPolicy, host: string, ip: string | null): boolean {
  for (const a of policy.allow) {
    if (a.toLowerCase() === host.toLowerCase() || a === ip) return true;
    const [net, bits] = a.split('/');
    if (ip && bits && isIP(net!) && isIP(ip) === isIP(net!)) {
      const list = new BlockList();
      list.addSubnet(net!, Number(bits), isIP(net!) === 6 ? 'ipv6' : 'ipv4');
      if (list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')) return true;
    }
  }
  return false;
}

/** Whether an address is one a webhook may not reach. */
export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return BLOCKED.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedV4(ip);
    return v4 ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(ip, 'ipv6');
  }
  return true;
}

const refuse = (message: string, details: Record<string, unknown>) => new LedgerlineError(ScreeningErrors.BAD_WEBHOOK, message, details);

/**
 * Checks a webhook URL when it is given: http(s), no credentials shown back, and no internal
 * address written as the host (the URL parser has already turned "2130706433" and "0x7f.1" into
 * 127.0.0.1). Names are checked again when delivering, on what they resolve to.
 */
export function checkWebhookUrl(raw: string, policy: TargetPolicy): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refuse(`webhook "${redactUrl(raw)}" is not a URL`, {});
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw refuse('a webhook must be http or https', { protocol: u.protocol });
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) ? host : null;
  if (allowed(policy, host, literal)) return u.toString();
  if (literal && isInternalAddress(literal)) throw refuse(`webhook host ${host} is an internal address; deliveries go to public addresses only (an operator can allow it with LEDGERLINE_WEBHOOK_ALLOW)`, { host });
  if (/^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(host)) throw refuse(`webhook host ${host} names this machine or its network`, { host });
  return u.toString();
}

/** The address to connect to for a host: every address it resolves to must be public (or allowed). */
export async function resolveTarget(host: string, policy: TargetPolicy, resolve = (h: string) => lookup(h, { all: true, verbatim: true })): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const found = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolve(bare);
  if (found.length === 0) throw refuse(`webhook host ${bare} does not resolve`, { host: bare });
  for (const a of found) {
    if (isInternalAddress(a.address) && !allowed(policy, bare, a.address)) {
      throw refuse(`webhook host ${bare} resolves to internal address ${a.address}; refused`, { host: bare });
    }
  }
  return found[0]!;
}

/** A URL as logs and API answers may show it: without the user name and password it may carry. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.username || u.password) {
      u.username = 'redacted';
      u.password = '';
    }
    return u.toString();
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//redacted@');
  }
}
