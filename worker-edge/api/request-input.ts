// Reading and validating what clients send: bad input is a 4xx with a clear message, never a 500.
import type { Context } from 'hono';
import { ApiFailure } from './api-failure.ts';
import { cleanFolderName, folderNameProblem } from '../feeds/folder-name.ts';

/** Reads the body as text, refusing anything larger than `maxBytes` before and while reading. */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header('content-length'));
  const tooLarge = () =>
    new ApiFailure(413, 'payload_too_large', `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export async function readJsonObject(c: Context, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const text = await readBodyText(c, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'bad_request', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiFailure(400, 'bad_request', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

export function positiveIntParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiFailure(400, 'bad_request', `${name} must be a positive whole number.`);
  return Math.min(n, max);
}

export function feedIdParam(value: string | undefined): number {
  const n = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new ApiFailure(404, 'not_found', 'No feed has that id.');
  return n;
}

/** A folder's name as sent (a body field or a query parameter): trimmed, or a 400 saying what is wrong with it. */
export function folderName(value: unknown, name = 'folder'): string {
  if (typeof value !== 'string')
    throw new ApiFailure(400, 'bad_request', `\`${name}\` must be a folder's name (a string), or null for no folder.`);
  const problem = folderNameProblem(value);
  if (problem) throw new ApiFailure(400, 'bad_request', problem);
  return cleanFolderName(value);
}
