// Updates a list in place from freshly built rows: a row with the same key (its `data-item-id` or `data-action-id`)
// is kept and only what changed in it is written, so the element the reader is on (a focused row, a button) stays
// and keeps the keyboard focus. Building whole lists again on every state change took the focus from the reader.
// Rows the page has set aside (a removal waiting out its undo window, `.row-removed`) are left where they are.

const rowKey = (row: Element) => row.getAttribute('data-item-id') ?? row.getAttribute('data-action-id');
/** A button is known by what it does (its data-key, else its name): a kept button keeps its click handler. */
const childKey = (child: Node) =>
  child instanceof Element
    ? `${child.tagName}|${child.getAttribute('data-key') ?? (child.tagName === 'BUTTON' ? child.getAttribute('aria-label') : child.getAttribute('class')) ?? ''}`
    : `#${child.nodeName}`;

/** Writes what `fresh` has into `current`: attributes it sets (others' marks, like keyboard focus, stay), children. */
function patch(current: Element, fresh: Element): void {
  for (const { name, value } of fresh.attributes) {
    if (current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  if (current.hasAttribute('disabled') && !fresh.hasAttribute('disabled')) current.removeAttribute('disabled');
  const spare = [...current.childNodes].filter((node) => !(node instanceof Element && node.matches('.undo-note')));
  let at: Node | null = current.firstChild;
  for (const wanted of [...fresh.childNodes]) {
    const index = spare.findIndex((node) => childKey(node) === childKey(wanted));
    let node: Node;
    if (index === -1) node = wanted;
    else {
      node = spare.splice(index, 1)[0] as Node;
      if (node instanceof Element && wanted instanceof Element) patch(node, wanted);
      else if (node.nodeValue !== wanted.nodeValue) node.nodeValue = wanted.nodeValue;
    }
    if (node !== at) current.insertBefore(node, at);
    at = node.nextSibling;
  }
  for (const node of spare) node.remove();
}

export function patchList(list: HTMLElement, rows: HTMLElement[]): void {
  const focused = document.activeElement;
  const existing = new Map<string, Element>();
  for (const row of list.children) {
    const key = rowKey(row);
    if (key && !row.classList.contains('row-removed')) existing.set(key, row);
  }
  // Rows may come from the other list (waiting → ready): those are found by key across the page.
  let at: Element | null = list.firstElementChild;
  const skipSetAside = () => {
    while (at?.classList.contains('row-removed')) at = at.nextElementSibling;
  };
  const kept = new Set<Element>();
  for (const fresh of rows) {
    const key = rowKey(fresh);
    const elsewhere = key ? document.querySelector(`li[data-item-id="${CSS.escape(key)}"]:not(.row-removed)`) : null;
    const current =
      (key && existing.get(key)) || (elsewhere?.parentElement?.classList.contains('saved-list') ? elsewhere : null);
    const row = current ?? fresh;
    if (current) patch(current, fresh);
    kept.add(row);
    skipSetAside();
    if (row !== at) list.insertBefore(row, at);
    at = row.nextElementSibling;
  }
  for (const row of [...list.children]) {
    if (!kept.has(row) && !row.classList.contains('row-removed')) row.remove();
  }
  // Moving a row in the page blurs what was focused in it: the focus goes back.
  if (focused instanceof HTMLElement && focused !== document.activeElement && focused.isConnected)
    focused.focus({ preventScroll: true });
}
