// Errors the API answers with: JSON `{ error: { code, message } }` and a fitting status, never a stack trace.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError, ErrorCode } from '../../contract/http.ts';

export class ApiFailure extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const errorBody = (code: ErrorCode, message: string): ApiError => ({ error: { code, message } });
