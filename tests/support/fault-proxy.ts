import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'refuse' | 'hang';

/**
 * A TCP proxy in front of a real service (an emulator) that fails on cue: `pass` forwards,
 * `refuse` resets every new and open connection (as a service that is down), `hang` accepts and
 * never answers. It speaks no protocol: what goes through is the real wire traffic.
 */
export class FaultProxy {
  mode: FaultMode = 'pass';
  /** Connections accepted, whatever happened to them. */
  connections = 0;
  private readonly open = new Set<Socket>();
  private server?: Server;
  endpoint = '';

  constructor(private readonly target: string) {}

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen();
    return proxy;
  }

  private async listen(): Promise<void> {
    const { hostname, port } = new URL(this.target);
    this.server = createServer((client) => {
      this.connections++;
      if (this.mode === 'refuse') {
        client.resetAndDestroy();
        return;
      }
      this.open.add(client);
      client.on('close', () => this.open.delete(client));
      client.on('error', () => undefined);
      if (this.mode === 'hang') return;
      const upstream = connect(Number(port), hostname);
      this.open.add(upstream);
      upstream.on('close', () => this.open.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** From now on, and for connections already open: down. */
  down(): void {
    this.mode = 'refuse';
    for (const socket of this.open) socket.destroy();
  }

  /** From now on, and for connections already open: accepts and never answers. */
  hang(): void {
    this.mode = 'hang';
    for (const socket of this.open) socket.destroy();
  }

  up(): void {
    this.mode = 'pass';
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
