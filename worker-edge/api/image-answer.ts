// What the image proxy answers, as plain data (status, header values, bytes): concurrent requests for one picture
// share it and the edge cache keeps it. Never a Response or a stream, which belong to the request that made them:
// workerd refuses I/O objects used across requests.
import { errorBody, type ApiFailure } from './api-failure.ts';

/** An image URL's content does not change in practice: a month, immutable. */
const IMAGE_CACHE_CONTROL = 'public, max-age=2592000, immutable';
/** SVG can carry script and links: as its own document it may draw and use inline styles, nothing else. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
const JSON_TYPE = 'application/json';

export interface ImageAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export function imageAnswer(contentType: string, body: Uint8Array): ImageAnswer {
  return {
    status: 200,
    headers: {
      'Content-Type': contentType,
      'Cache-Control': IMAGE_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': IMAGE_CSP,
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
    body,
  };
}

/** The API's JSON error, as the app's error handler would have written it. */
export function failureAnswer(failure: ApiFailure): ImageAnswer {
  const body = new TextEncoder().encode(JSON.stringify(errorBody(failure.code, failure.message)));
  return { status: failure.status, headers: { 'Content-Type': JSON_TYPE, ...failure.headers }, body };
}

/** An answer kept earlier (its status, type and bytes), with the headers this proxy sends today. */
export function storedAnswer(status: number, contentType: string, body: Uint8Array): ImageAnswer {
  return status === 200 ? imageAnswer(contentType, body) : { status, headers: { 'Content-Type': JSON_TYPE }, body };
}

/** A fresh Response for one request; the answer's bytes are copied into it, so others can still use them. */
export function answerResponse(answer: ImageAnswer): Response {
  // politeFetch's and TextEncoder's bytes always sit on a plain ArrayBuffer of their own (never shared memory).
  return new Response(answer.body as Uint8Array<ArrayBuffer>, { status: answer.status, headers: answer.headers });
}
