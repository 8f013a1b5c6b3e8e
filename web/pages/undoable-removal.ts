// Removing something (a source on /sources, a saved article on /saved) waits a few seconds, with Undo, before it
// happens. The row stays where it was, the same height, its content covered by a note ("Removed “X”. Undo"), so the
// rows below never move under the pointer: a second click meant for this row cannot land on the next one. The
// removal is made for real only once the window has passed (nothing to restore at the edge or in the worker, and
// DELETE /api/feeds/:id stays the one way to remove a source); leaving the page meanwhile makes it at once.
import { el } from '../dom.ts';

export const UNDO_WINDOW_MS = 5_000;

const due = new Set<() => void>();

let flushing = false;
function flushOnLeave(): void {
  if (flushing) return;
  flushing = true;
  window.addEventListener('pagehide', () => {
    for (const commit of [...due]) commit();
  });
}

export interface Removal {
  /** The row that stands for the thing removed; it keeps its place and height. */
  row: HTMLElement;
  /** "Removed “Harbour Courier”" */
  removedWords: string;
  /** What the reader is told once it is done for good ("Removed “Harbour Courier” and its articles"). */
  doneWords: string;
  /** Makes the removal; a failure puts the row back as it was and is reported. */
  commit: (leaving: boolean) => Promise<void>;
  onDone?: () => void;
  onUndo?: () => void;
  onError?: (error: unknown) => void;
}

/** Covers the row with "Removed … Undo" and makes the removal when the window passes, unless undone. */
export function removeWithUndo(removal: Removal, windowMs = UNDO_WINDOW_MS): void {
  flushOnLeave();
  const { row } = removal;
  const words = el('span', { class: 'undo-words' }, `${removal.removedWords}.`);
  const undo = el('button', { type: 'button', class: 'quiet-button undo-button' }, 'Undo');
  const note = el('div', { class: 'undo-note', role: 'status' }, words, ' ', undo);
  const hadFocus = row.contains(document.activeElement);
  row.classList.add('row-removed');
  row.setAttribute('aria-busy', 'true');
  row.append(note);
  if (hadFocus) undo.focus();

  const restore = () => {
    due.delete(commitNow);
    note.remove();
    row.classList.remove('row-removed');
    row.removeAttribute('aria-busy');
  };
  let settled = false;
  const commitNow = (leaving = true) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    due.delete(commitNow);
    undo.remove();
    removal.commit(leaving).then(
      () => {
        words.textContent = `${removal.doneWords}.`;
        row.removeAttribute('aria-busy');
        removal.onDone?.();
      },
      (error: unknown) => {
        restore();
        removal.onError?.(error);
      },
    );
  };
  const timer = setTimeout(() => commitNow(false), windowMs);
  due.add(commitNow);
  undo.addEventListener('click', () => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    const refocus = row.contains(document.activeElement);
    restore();
    if (refocus) row.querySelector<HTMLElement>('button, a[href]')?.focus();
    removal.onUndo?.();
  });
}
