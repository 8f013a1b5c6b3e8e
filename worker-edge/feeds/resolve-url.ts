// URLs from feeds are relative, padded with whitespace, or hostile (javascript:, data:); one place decides which survive.

/** `raw` resolved against `base`, only if the result is an absolute http(s) URL; null otherwise. */
export function resolveHttpUrl(raw: string | null | undefined, base: string | null): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return null;
  try {
    const url = base ? new URL(trimmed, base) : new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An `xml:base` (or any base) resolved against its parent base; the parent when it is missing or unusable. */
export function resolveBaseUrl(raw: string | null | undefined, parentBase: string): string {
  return resolveHttpUrl(raw, parentBase) ?? parentBase;
}
