// Reading with the keyboard, on the pages with a list of items or an article (started from start-page-features.ts):
//   j / k      next / previous item (on an article: the older / newer article)
//   o, Enter   open the focused item
//   s          save the focused or open article for offline
//   m          mark the focused or open article read or unread
//   /          the search box, if the page has one
//   g l, g s   go to Latest, go to Saved
//   ?          these keys, in a dialog (Escape closes it; focus goes back where it was)
// The footer says so ("Press ? for keyboard shortcuts", a button that opens the same dialog), except on devices
// with no hover at all (touch only), where it is hidden by CSS.
// No key fires in a text field, select or contenteditable, with Ctrl, Alt or Meta held, or while a dialog is open.
import { readUrl } from '../../contract/paths.ts';
import { el, errorText } from '../dom.ts';
import { isOnline } from '../offline/connectivity.ts';
import { stateWords } from '../offline/offline-words.ts';
import { saveForOffline } from '../offline/outbox.ts';
import { readMarks, setRead } from '../sw-bridge.ts';
import { isShownRead, showRead } from './read-state.ts';

const ITEMS =
  'main .items > li[data-item-id], main .saved-list > li[data-item-id], main .offline-list > li[data-item-id]';
/** How long `g` waits for its second key. */
const PREFIX_MS = 1500;

/** Each key in a <kbd>; a part that starts with a space is the words between keys. */
const KEYS: Array<[string[], string]> = [
  [['j', ' / ', 'k'], 'Next / previous item (on an article: older / newer article)'],
  [['o', ' or ', 'Enter'], 'Open the selected item'],
  [['s'], 'Save the selected or open article for offline'],
  [['m'], 'Mark the selected or open article read or unread'],
  [['/'], 'Search'],
  [['g', ' then ', 'l'], 'Go to Latest'],
  [['g', ' then ', 's'], 'Go to Saved'],
  [['?'], 'Show these keys'],
];

const visibleItems = () => [...document.querySelectorAll<HTMLElement>(ITEMS)].filter((item) => !item.hidden);
const focusedItem = () =>
  document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>(ITEMS) : null;
const openArticle = () => document.querySelector<HTMLElement>('main [data-article-id]');
const itemLink = (item: HTMLElement) => item.querySelector<HTMLAnchorElement>('.item-title a, a.saved-title, a[href]');

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null
  );
}

let status: HTMLElement | null = null;

/** Says what a key did, for screen readers (and anyone looking: the line sits at the end of the page). */
function announce(message: string): void {
  status ??=
    document
      .querySelector('main')
      ?.appendChild(el('p', { id: 'keyboard-status', class: 'visually-hidden', role: 'status' })) ?? null;
  if (status) status.textContent = message;
}

function moveFocus(step: 1 | -1): void {
  const items = visibleItems();
  if (items.length === 0) {
    // An article: the neighbours the page links to (newer is rel="prev", older rel="next").
    const link = document.querySelector<HTMLAnchorElement>(step === 1 ? 'a[rel="next"]' : 'a[rel="prev"]');
    if (link && openArticle()) link.click();
    return;
  }
  const current = focusedItem();
  const at = current ? items.indexOf(current) : -1;
  const next =
    items[at === -1 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step))];
  if (!next) return;
  next.tabIndex = -1;
  next.dataset.keyboardFocus = '';
  next.focus({ preventScroll: true });
  next.scrollIntoView({ block: 'nearest' });
}

function open(): boolean {
  const item = focusedItem();
  const link = item && itemLink(item);
  if (!link) return false;
  // A click, not location.assign: what a pointer's click does on the way (the title remembered for the page that
  // answers offline) happens for the key too.
  link.click();
  return true;
}

async function save(): Promise<void> {
  const item = focusedItem();
  if (item) {
    const itemId = item.dataset.itemId ?? '';
    const title =
      itemLink(item)
        ?.textContent?.replace(/^Unread: /, '')
        .trim() ?? '';
    const entry = await saveForOffline({ itemId, url: readUrl(itemId), title });
    announce(`“${title}”: ${stateWords(entry, isOnline())}.`);
    return;
  }
  const control = document.querySelector<HTMLElement>('main [data-save-offline]');
  if (openArticle() && control) {
    control.click();
    announce('Saving this article for offline.');
  }
}

async function toggleRead(): Promise<void> {
  const item = focusedItem();
  const target = item ?? openArticle();
  const itemId = item ? item.dataset.itemId : target?.dataset.articleId;
  if (!target || !itemId) return;
  const read = item ? isShownRead(item) : (await readMarks([itemId])).has(itemId);
  await setRead([itemId], !read);
  if (item) showRead(item, !read);
  else if (read) delete target.dataset.read;
  else target.dataset.read = '';
  announce(read ? 'Marked as unread.' : 'Marked as read.');
}

function focusSearch(): boolean {
  const search =
    document.querySelector<HTMLInputElement>('#site-search') ??
    document.querySelector<HTMLInputElement>('input[type="search"]');
  search?.focus();
  return search !== null;
}

let help: HTMLDialogElement | null = null;
let returnTo: HTMLElement | null = null;

function helpDialog(): HTMLDialogElement {
  if (help) return help;
  const list = el('dl', { class: 'keyboard-keys' });
  for (const [keys, what] of KEYS) {
    const dt = el('dt', {}, ...keys.map((part) => (part.startsWith(' ') ? part : el('kbd', {}, part))));
    list.append(el('div', {}, dt, el('dd', {}, what)));
  }
  help = el(
    'dialog',
    { id: 'keyboard-help', class: 'keyboard-help', 'aria-labelledby': 'keyboard-help-title' },
    el('h2', { id: 'keyboard-help-title' }, 'Keyboard shortcuts'),
    el('p', {}, 'They work anywhere but in a text field, and not with Ctrl, Alt or Meta held.'),
    list,
    el('form', { method: 'dialog' }, el('button', { type: 'submit' }, 'Close')),
  );
  help.addEventListener('close', () => returnTo?.focus({ preventScroll: true }));
  document.querySelector('main')?.append(help);
  return help;
}

function showHelp(): void {
  returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const dialog = helpDialog();
  dialog.showModal();
  dialog.querySelector('button')?.focus();
}

let prefixAt = 0;

function goTo(key: string): boolean {
  const path = key === 'l' ? '/' : key === 's' ? '/saved' : null;
  if (path) location.assign(path);
  return path !== null;
}

function onKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
  if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
  const afterG = Date.now() - prefixAt < PREFIX_MS;
  prefixAt = 0;
  if (afterG) {
    if (goTo(event.key)) event.preventDefault();
    return;
  }
  const failed = (error: unknown) => announce(`That did not work: ${errorText(error)}`);
  let handled = true;
  switch (event.key) {
    case 'j':
      moveFocus(1);
      break;
    case 'k':
      moveFocus(-1);
      break;
    case 'o':
      handled = open();
      break;
    // Enter on a link or button does what it always does; on a selected item, it opens it.
    case 'Enter':
      handled = event.target instanceof HTMLElement && event.target.matches(ITEMS) && open();
      break;
    case 's':
      save().catch(failed);
      break;
    case 'm':
      toggleRead().catch(failed);
      break;
    case '/':
      handled = focusSearch();
      break;
    case 'g':
      prefixAt = Date.now();
      break;
    case '?':
      showHelp();
      break;
    default:
      handled = false;
  }
  if (handled) event.preventDefault();
}

/** Nothing else on screen says the keys exist: a small line in the footer does, and opens the list when tapped. */
function showHint(): void {
  const footer = document.querySelector('.site-footer');
  if (!footer || document.getElementById('keyboard-hint')) return;
  // One span inside: a button lays out as flex, which would drop the spaces around the <kbd>.
  const words = el('span', {}, 'Press ', el('kbd', {}, '?'), ' for keyboard shortcuts');
  const button = el('button', { type: 'button', class: 'small-button' }, words);
  button.addEventListener('click', showHelp);
  footer.append(el('p', { id: 'keyboard-hint', class: 'keyboard-hint' }, button));
}

export function startKeyboard(): void {
  document.addEventListener('keydown', onKey);
  showHint();
  // Said on the page, so whoever drives it (a test, an extension) knows the keys are live.
  document.body.dataset.keyboard = 'on';
}
