// The origin's only state: how often each URL was requested (and how the last request looked and ended), and
// scripted answers for tests that need a sequence (503, 503, 200). Keys are a URL's path and query exactly as
// requested, so each test picks its own (e.g. `?t=7`) and never collides with another.
import type { IncomingMessage } from 'node:http';
import { bytesBody, type FixtureResponse } from './fixture-response.ts';

export interface HitRecord {
  method: string;
  headers: Record<string, string>;
  bodyBytesWritten: number;
  /** `aborted`: the client went away before the body was complete. */
  outcome: 'pending' | 'finished' | 'aborted' | 'truncated' | 'reset';
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HitSummary {
  count: number;
  lastHeaders: Record<string, string>;
  lastMethod: string | null;
  lastBodyBytes: number;
  lastOutcome: HitRecord['outcome'] | null;
}

export interface RequestLog {
  record(key: string, req: IncomingMessage): HitRecord;
  summary(key: string): HitSummary;
  script(key: string, responses: ScriptedResponse[]): void;
  /** The next scripted answer for this key, if any are left. */
  takeScripted(key: string): FixtureResponse | null;
}

export function isScriptedResponse(value: unknown): value is ScriptedResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { status, headers, body } = value as Record<string, unknown>;
  return (
    typeof status === 'number' &&
    Number.isInteger(status) &&
    status >= 100 &&
    status <= 599 &&
    (headers === undefined ||
      (typeof headers === 'object' &&
        headers !== null &&
        Object.values(headers).every((v) => typeof v === 'string'))) &&
    (body === undefined || typeof body === 'string')
  );
}

export function createRequestLog(): RequestLog {
  const hits = new Map<string, { count: number; last: HitRecord }>();
  const scripts = new Map<string, ScriptedResponse[]>();

  return {
    record(key, req) {
      const last: HitRecord = {
        method: req.method ?? 'GET',
        headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])),
        bodyBytesWritten: 0,
        outcome: 'pending',
      };
      hits.set(key, { count: (hits.get(key)?.count ?? 0) + 1, last });
      return last;
    },
    summary(key) {
      const entry = hits.get(key);
      return {
        count: entry?.count ?? 0,
        lastHeaders: entry?.last.headers ?? {},
        lastMethod: entry?.last.method ?? null,
        lastBodyBytes: entry?.last.bodyBytesWritten ?? 0,
        lastOutcome: entry?.last.outcome ?? null,
      };
    },
    script(key, responses) {
      scripts.set(key, [...responses]);
    },
    takeScripted(key) {
      const next = scripts.get(key)?.shift();
      if (!next) return null;
      return { status: next.status, headers: { ...next.headers }, body: bytesBody(next.body ?? '') };
    },
  };
}
