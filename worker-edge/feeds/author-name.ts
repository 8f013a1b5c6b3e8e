// RSS's <author> is an e-mail address by the spec, so feeds write "jane@example.org (Jane Doe)",
// "Jane Doe (jane@example.org)", "Jane Doe <jane@example.org>", a bare address, or just a name.
// We show names, never addresses.
import { collapseWhitespace } from '../html/plain-text.ts';

export function authorName(raw: string): string | null {
  const text = collapseWhitespace(raw);
  // The part before the @ may not hold another @: with it, both patterns would retry every @ of "a@a@a@…" from
  // every other one, quadratic in the length of a hostile author.
  const name =
    /^[^\s@]+@\S+\s*\((.+)\)$/.exec(text)?.[1] ??
    /^(.+?)\s*[(<](?:mailto:)?[^()<>\s@]+@[^()<>\s]+[)>]$/.exec(text)?.[1] ??
    (/^(?:mailto:)?[^\s@]+@[^\s@]+$/.test(text) ? '' : text);
  const cleaned = name.replace(/^["']|["']$/g, '').trim();
  return cleaned || null;
}

/** Distinct author names joined for display, or null when there are none. */
export function authorNames(raws: string[]): string | null {
  const names = [...new Set(raws.map(authorName).filter((name): name is string => name !== null))];
  return names.length ? names.join(', ') : null;
}
