// Steering the fixture origin from a test: scripted answers for a path, and how often a path was asked for.
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** The next requests for `path` get these answers, in order; then it answers as usual. */
export async function scriptOrigin(origin: string, path: string, responses: ScriptedAnswer[]): Promise<void> {
  const res = await fetch(`${origin}/__script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path, responses }),
  });
  if (!res.ok) throw new Error(`scripting the origin: ${res.status}`);
}

/** How many requests reached `path` (with its query) so far. */
export async function originHits(origin: string, path: string): Promise<number> {
  return ((await (await fetch(`${origin}/__hits?path=${encodeURIComponent(path)}`)).json()) as { count: number }).count;
}
