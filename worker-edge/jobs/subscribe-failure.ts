// Why a subscription was refused, in the feed engine's terms; the API turns each reason into its status and code.
export type SubscribeFailureReason = 'invalid-url' | 'blocked-address' | 'upstream' | 'not-a-feed';

export class SubscribeFailure extends Error {
  readonly reason: SubscribeFailureReason;

  constructor(reason: SubscribeFailureReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
