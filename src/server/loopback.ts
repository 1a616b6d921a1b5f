/**
 * Which addresses and Host headers are this machine's own. The explorer hands out the API key
 * only to a page whose Host is loopback (explorer.ts), and `scoredrive serve` warns when it
 * listens beyond loopback (cli/serve-banner.ts).
 */
import { isIPv4 } from 'node:net';

/** 127.0.0.0/8, ::1, and 127.x written as an IPv4-mapped IPv6 address (how a dual-stack socket may report it). */
export function isLoopbackAddress(address: string): boolean {
  const ip = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (isIPv4(ip)) return ip.startsWith('127.');
  return ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/**
 * Whether a Host header names this machine by a loopback name at `port`: `localhost`, any
 * `*.localhost` (RFC 6761: browsers resolve it to loopback themselves, and no DNS can answer it),
 * a dotted-quad in 127.0.0.0/8, or `[::1]`. Browsers normalise Hosts (`127.1` is sent as
 * `127.0.0.1`), so anything else is refused rather than interpreted. A DNS-rebinding page sends
 * its own hostname, which is none of these. Without `port` (no real socket: `app.inject()` in
 * process) any port is accepted; with it, an absent port means 80.
 */
export function isLoopbackHost(host: string | undefined, port?: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const [, name, hostPort] = match;
  if (port !== undefined && Number(hostPort ?? 80) !== port) return false;
  if (name === 'localhost' || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.localhost$/.test(name)) return true;
  if (name === '[::1]') return true;
  return isIPv4(name) && name.startsWith('127.');
}
