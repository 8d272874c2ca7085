// A TCP proxy in front of a server, for tests where the server must hang rather than stop: paused, it keeps
// every connection open and accepts new ones, but forwards nothing either way (the bytes wait in its
// buffers), as a frozen process or a black-holed network would; resumed, it delivers what waited, in order,
// and forwards again. A stopped server refuses connections at once; a hung one answers nothing, ever.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export type TcpProxy = {
  /** `host:port` to use instead of the target's. */
  address: string;
  pause(): void;
  resume(): void;
  /** Bytes held back since the last pause (something was sent to the hung server). */
  heldBytes(): number;
  close(): Promise<void>;
};

/** One direction of one connection: writes through, or holds while paused. */
class Leg {
  private held: Buffer[] = [];
  constructor(
    private readonly to: Socket,
    private readonly paused: () => boolean,
    private readonly count: (n: number) => void,
  ) {}
  push(chunk: Buffer): void {
    if (this.paused()) {
      this.held.push(chunk);
      this.count(chunk.length);
    } else {
      this.to.write(chunk);
    }
  }
  flush(): void {
    for (const chunk of this.held) this.to.write(chunk);
    this.held = [];
  }
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const colon = target.lastIndexOf(':');
  const host = target.slice(0, colon);
  const port = Number(target.slice(colon + 1));
  let paused = false;
  let held = 0;
  const sockets = new Set<Socket>();
  const legs = new Set<Leg>();
  const isPaused = () => paused;
  const count = (n: number) => {
    held += n;
  };

  const server = createServer((client) => {
    const upstream = connect({ host, port });
    const up = new Leg(upstream, isPaused, count);
    const down = new Leg(client, isPaused, count);
    legs.add(up).add(down);
    // Either side closing closes the pair, as a proxy's connection would.
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        legs.delete(up);
        legs.delete(down);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => up.push(chunk));
    upstream.on('data', (chunk: Buffer) => down.push(chunk));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port: proxyPort } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${proxyPort}`,
    pause() {
      paused = true;
      held = 0;
    },
    resume() {
      paused = false;
      for (const leg of legs) leg.flush();
    },
    heldBytes: () => held,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
