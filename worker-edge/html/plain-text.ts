// Plain-text helpers for titles, authors and summaries, which are stored and shown as text, never as HTML.

/** Collapses runs of whitespace (\s includes non-breaking spaces) into single spaces and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
