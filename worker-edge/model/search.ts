// What a search asks the store for, and how the store marks the matched words in a snippet.

/** A source filter as the reader wrote it: a feed's number, or its title (any case). */
export type SearchSource = { kind: 'id'; id: number } | { kind: 'title'; title: string };

/**
 * Private-use characters around each matched word in a stored snippet: no feed text can forge markup through them,
 * since the snippet is escaped as text first and only these become <mark>.
 */
export const MATCH_OPEN = '\ue000';
export const MATCH_CLOSE = '\ue001';
