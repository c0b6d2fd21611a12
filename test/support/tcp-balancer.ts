import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP load balancer in front of relay instances, as a Kubernetes Service would
 * be: each new connection goes to the next backend that accepts it, so an SDK whose instance
 * died reconnects to another one.
 */
export class TcpBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  private backends: readonly number[];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    backends: readonly number[],
  ) {
    this.backends = backends;
  }

  static async start(backends: readonly number[]): Promise<TcpBalancer> {
    let balancer: TcpBalancer | undefined;
    const server = createServer((client) => {
      const ports = balancer?.backends ?? [];
      balancer?.forward(client, ports, ports.length);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    balancer = new TcpBalancer(server, port, backends);
    return balancer;
  }

  /**
   * New connections go to these backends from now on (a pod leaving or joining the Service's
   * endpoints); connections already open stay where they are.
   */
  setBackends(backends: readonly number[]): void {
    this.backends = [...backends];
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: Socket, backends: readonly number[], triesLeft: number): void {
    if (triesLeft === 0) {
      client.destroy();
      return;
    }
    const port = backends[this.next++ % backends.length] as number;
    const upstream = createConnection({ host: '127.0.0.1', port });
    upstream.once('error', () => {
      if (!client.destroyed && upstream.bytesRead === 0 && upstream.bytesWritten === 0) {
        this.forward(client, backends, triesLeft - 1);
      } else {
        client.destroy();
      }
    });
    upstream.once('connect', () => {
      this.track(client);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
