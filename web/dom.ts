// The few DOM helpers web/ shares: building elements without innerHTML (nothing a feed or the server
// says is ever parsed as markup), finding required elements, and handing a part of the page over from its no-JS note.

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** The page works with JavaScript now: the notes saying what needs it go. */
export function hideJsNotes(): void {
  for (const note of document.querySelectorAll<HTMLElement>('[data-js-note]')) note.hidden = true;
}

/** A status line for a form: role="status" in the markup, so screen readers hear each change. */
export function say(target: HTMLElement | null, message: string, tone: 'ok' | 'error' | 'info' = 'info'): void {
  if (!target) return;
  target.textContent = message;
  target.dataset.tone = tone;
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A small button that runs `onClick` once at a time; if it fails, the button comes back and `onError` says why. */
export function quietButton(
  label: string,
  name: string,
  onClick: () => Promise<void>,
  onError: (message: string) => void,
): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'quiet-button', 'aria-label': name }, label);
  b.addEventListener('click', () => {
    b.disabled = true;
    onClick().catch((error: unknown) => {
      b.disabled = false;
      onError(`${name} did not work: ${errorText(error)}`);
    });
  });
  return b;
}
