// Endpoints tests use to look at and steer the origin. They bypass faults, latency and the hit counts.
//   GET  /__list/<root>/<dir>   JSON list of the files below a fixture folder
//   POST /__script              { path, responses: [{ status, headers?, body? }] }: answer `path` with these, in
//                               order, then fall through to its normal answer
//   GET  /__hits?path=<path+query>   { count, lastHeaders, lastMethod, lastBodyBytes, lastOutcome }
//   GET  /__unused-port         { port }: a loopback port nothing listens on, for "connection refused"
//   POST /__chaos               { rate500, rateReset, rateSlow, slowMs, rateTruncate, seed }: the chaos site's pages
//                               and pictures fail at these rates (chaos-switch.ts); DELETE turns it off; GET reports
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chaosSettings, type ChaosSwitch } from './chaos-switch.ts';
import { listFixtureFolder } from './fixture-files.ts';
import { isScriptedResponse, type RequestLog } from './request-log.ts';

export interface ControlRoute {
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

// Large enough for a scripted page near the reader's 3 MB page cap.
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_SCRIPT_BYTES) throw new Error('script too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function createControlRoutes(log: RequestLog, chaos: ChaosSwitch): ControlRoute[] {
  return [
    {
      matches: (path) => path.startsWith('/__list/'),
      async handle(_req, res, url) {
        const files = await listFixtureFolder(url.pathname.slice('/__list'.length));
        if (files) sendJson(res, 200, files);
        else res.writeHead(404, { 'content-type': 'text/plain' }).end(`no folder at ${url.pathname}`);
      },
    },
    {
      matches: (path) => path === '/__script',
      async handle(req, res) {
        const script = req.method === 'POST' ? await readJson(req).catch(() => null) : null;
        const { path, responses } = (script ?? {}) as { path?: unknown; responses?: unknown };
        if (
          typeof path !== 'string' ||
          !path.startsWith('/') ||
          !Array.isArray(responses) ||
          !responses.every(isScriptedResponse)
        ) {
          sendJson(res, 400, { error: 'POST { path: "/…", responses: [{ status, headers?, body? }] }' });
          return;
        }
        log.script(path, responses);
        res.writeHead(204).end();
      },
    },
    {
      matches: (path) => path === '/__hits',
      async handle(_req, res, url) {
        const path = url.searchParams.get('path');
        if (path === null) sendJson(res, 400, { error: 'GET /__hits?path=<path and query>' });
        else sendJson(res, 200, log.summary(path));
      },
    },
    {
      matches: (path) => path === '/__chaos',
      async handle(req, res) {
        if (req.method === 'POST') {
          const settings = chaosSettings(await readJson(req).catch(() => null));
          if (!settings) {
            sendJson(res, 400, {
              error:
                'POST { rate500, rateReset, rateSlow, slowMs, rateTruncate, seed }: rates in [0, 1], adding up to at most 1',
            });
            return;
          }
          chaos.set(settings);
        } else if (req.method === 'DELETE') {
          chaos.set(null);
        }
        sendJson(res, 200, chaos.report());
      },
    },
    {
      matches: (path) => path === '/__unused-port',
      async handle(_req, res) {
        sendJson(res, 200, { port: await unusedPort() });
      },
    },
  ];
}
