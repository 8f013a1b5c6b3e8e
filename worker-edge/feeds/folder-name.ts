// Folder names: what a reader may call a folder (PATCH /api/feeds/:id, ?folder=) and how names from OPML files are
// made into one. A nested folder is one name, its path joined with FOLDER_PATH_SEPARATOR ("News / World").
import { FOLDER_NAME_MAX, FOLDER_PATH_SEPARATOR } from '../../contract/http.ts';

const CONTROL = /\p{Cc}/u;
const length = (name: string) => [...name].length;

/** Why a name cannot be a folder's, or null when it can. Names are taken trimmed, runs of spaces as one. */
export function folderNameProblem(name: string): string | null {
  if (CONTROL.test(name)) return 'A folder name cannot contain control characters (tabs, line breaks…).';
  const cleaned = cleanFolderName(name);
  if (cleaned === '') return 'A folder name cannot be empty; send null for "No folder".';
  if (length(cleaned) > FOLDER_NAME_MAX) return `A folder name is at most ${FOLDER_NAME_MAX} characters.`;
  return null;
}

/** The name as stored: trimmed, runs of whitespace as one space (as OPML import reads names, so exports round-trip). */
export function cleanFolderName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/**
 * A folder from an OPML file's path of folder names (outermost first): control characters dropped, joined, and when
 * over the limit, the outer folders left out (the innermost is the most specific), the innermost cut if need be.
 */
export function folderFromPath(segments: readonly string[]): string | null {
  const names = segments.map((s) => cleanFolderName(s.replace(new RegExp(CONTROL, 'gu'), ''))).filter((s) => s !== '');
  while (names.length > 1 && length(names.join(FOLDER_PATH_SEPARATOR)) > FOLDER_NAME_MAX) names.shift();
  const joined = names.join(FOLDER_PATH_SEPARATOR);
  return joined === '' ? null : [...joined].slice(0, FOLDER_NAME_MAX).join('').trim();
}

/** The path of a stored folder name, outermost first: how OPML export nests it. */
export function folderPath(folder: string): string[] {
  return folder.split(FOLDER_PATH_SEPARATOR);
}

/**
 * OPML's `category` attribute: comma-separated categories, each a tag ("tech") or a slash-delimited path in a
 * taxonomy ("/Boston/Weather"). The folder is the first category; for a path, its first segment, the broadest
 * group (a tag has one segment anyway).
 */
export function folderFromCategory(category: string | undefined): string | null {
  const first = category?.split(',').find((c) => c.trim() !== '');
  if (first === undefined) return null;
  const segment = first.split('/').find((s) => s.trim() !== '');
  return segment === undefined ? null : folderFromPath([segment]);
}
