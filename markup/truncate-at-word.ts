// Cutting text short for display and for storage, in one spelling: the edge trims summaries with it when it reads a
// feed, and every list (the edge's and the service worker's) shortens a summary with it.

/** At most `max` characters, cut at a word boundary when there is one near the end, with an ellipsis when cut. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair (an emoji) in half.
  const hard = text.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '');
  const lastSpace = hard.lastIndexOf(' ');
  // A word boundary in the last third is worth cutting at; otherwise one very long word would leave almost nothing.
  const cut = lastSpace > max * 0.66 ? hard.slice(0, lastSpace) : hard;
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}
