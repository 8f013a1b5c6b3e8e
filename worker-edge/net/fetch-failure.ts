// Why a fetch produced no HTTP answer, as a code the scheduler can act on and a message a person can read
// on the sources page ("The server did not answer within 15 s").
export type FetchFailureCode =
  | 'invalid-url'
  | 'blocked-address'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'dns'
  | 'tls'
  | 'connection'
  | 'truncated'
  | 'network';

export class FetchFailure extends Error {
  readonly code: FetchFailureCode;

  constructor(code: FetchFailureCode, message: string) {
    super(message);
    this.name = 'FetchFailure';
    this.code = code;
  }
}
