// Free loopback ports for servers that tests, scripts and the bench start on a port they name (a child told
// its port by environment, the Temporal dev server's --port). A port is picked below the kernel's ephemeral
// range, so that between our check and the server's bind no other process can be handed it by the kernel:
// the Temporal dev server binds its internal ports as ephemeral ones, and every outgoing connection takes
// one as its local port. Picking with `listen(0)` (from inside that range) lost exactly that race in CI.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Linux's default when /proc cannot be read (net.ipv4.ip_local_port_range). */
const DEFAULT_EPHEMERAL_LOW = 32768;
/** The lowest port picked: above the well-known and most registered service ports. */
const LOWEST = 10_000;

/** The first port of the kernel's ephemeral range, where nothing is picked. */
export function ephemeralRangeStart(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): number {
  try {
    const low = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST + 1000 ? low : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Ports this process already handed out: two calls in one process never answer the same port. */
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => res(true)));
  });
}

/**
 * A loopback port in [10000, start of the ephemeral range) that nothing listens on now. Random across the
 * span, so parallel test processes rarely try the same one, and checked by binding it.
 * @throws Error when 200 tries found no free port.
 */
export async function getFreePort(): Promise<number> {
  const high = ephemeralRangeStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port below ${high}`);
}
