/**
 * A body that is not a feed we can read. `message` is written for a person (it ends up in the sources page as the
 * feed's last error), so it says what was wrong, not how the parser failed.
 */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}
