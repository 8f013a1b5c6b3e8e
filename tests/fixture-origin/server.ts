// The local fixture origin: serves feed files and article pages over HTTP on loopback, with injected faults.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureOrigin {
  url: string;
  close(): Promise<void>;
}

export async function startFixtureOrigin(options: { port?: number } = {}): Promise<FixtureOrigin> {
  const server: Server = createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture at ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
