// The local fixture origin: serves feed files and article pages over HTTP on loopback, as raw bytes, and
// misbehaves on request (see faults.ts) so the edge's fetcher can be tested against real sockets.
// Content lives in routes.ts, the test controls in control-routes.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChaosSwitch, type ChaosSwitch } from './chaos-switch.ts';
import { createControlRoutes, type ControlRoute } from './control-routes.ts';
import { deliver, sleep } from './deliver.ts';
import { generatedFor, parseFaults, redirectFor, withHeaderFaults, withValidators, type Faults } from './faults.ts';
import type { FixtureResponse } from './fixture-response.ts';
import { createRequestLog, type RequestLog } from './request-log.ts';
import { respondFromRoutes } from './routes.ts';

export { fixtureRoots, resolveFixturePath } from './fixture-files.ts';

export interface FixtureOrigin {
  url: string;
  close(): Promise<void>;
}

export interface FixtureOriginOptions {
  port?: number;
  /** Added before every fixture response (not the control endpoints), to make benchmarks feel a real network. */
  latencyMs?: number;
}

interface OriginContext {
  origin: string;
  latencyMs: number;
  log: RequestLog;
  chaos: ChaosSwitch;
  controlRoutes: ControlRoute[];
}

/** The content at the end of any redirect chain, shaped by the status, header and validator faults. */
async function content(
  req: IncomingMessage,
  url: URL,
  faults: Faults,
  context: OriginContext,
): Promise<FixtureResponse> {
  const found =
    generatedFor(faults) ??
    (await respondFromRoutes({ url, method: req.method ?? 'GET', headers: req.headers, origin: context.origin }));
  return withValidators(withHeaderFaults(found, faults), faults, req.headers);
}

async function answer(req: IncomingMessage, res: ServerResponse, context: OriginContext): Promise<void> {
  const url = new URL(req.url ?? '/', context.origin);
  const control = context.controlRoutes.find((route) => route.matches(url.pathname));
  if (control) return control.handle(req, res, url);

  const key = url.pathname + url.search;
  const hit = context.log.record(key, req);
  const gone = new AbortController();
  res.on('close', () => {
    if (hit.outcome === 'pending') hit.outcome = res.writableFinished ? 'finished' : 'aborted';
    gone.abort();
  });

  await sleep(context.latencyMs, gone.signal);
  const chaos = context.chaos.intercept(url.pathname, parseFaults(url.searchParams));
  const { faults } = chaos;
  // `redirect=2&status=410` is two plain redirects, then a 410.
  const response =
    chaos.response ??
    context.log.takeScripted(key) ??
    redirectFor(url, faults) ??
    (await content(req, url, faults, context));
  await deliver(req, res, response, faults, hit, gone.signal);
}

export async function startFixtureOrigin(options: FixtureOriginOptions = {}): Promise<FixtureOrigin> {
  const log = createRequestLog();
  const chaos = createChaosSwitch();
  const context: OriginContext = {
    origin: '',
    latencyMs: options.latencyMs ?? 0,
    log,
    chaos,
    controlRoutes: createControlRoutes(log, chaos),
  };
  const server: Server = createServer((req, res) => {
    answer(req, res, context).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  context.origin = `http://127.0.0.1:${port}`;
  return {
    url: context.origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
