// /sources: the admin tools. The reader enters the admin token once (kept in this browser only, web/pages/admin-token.ts);
// adding and removing sources are sent with it, or, while offline, queued in the service worker's outbox without it
// (the worker asks this page for the token when it sends them). Queued and refused changes are listed here with
// Retry and Remove. After a change the list is fetched again as the server renders it, so there is one template.
import type { ApiError, FeedCreated, FeedPatch, FeedUpdated, OpmlImportResult } from '../../contract/http.ts';
import type { NewAction, QueuedAction } from '../../contract/messages.ts';
import { FEEDS_PATH, feedUrl, OPML_PATH } from '../../contract/paths.ts';
import { byId, el, errorText, hideJsNotes, say } from '../dom.ts';
import { capabilities } from '../offline/capabilities.ts';
import { isOnline } from '../offline/connectivity.ts';
import { queueReaderAction } from '../offline/outbox.ts';
import { listActions, onActionChange } from '../sw-bridge.ts';
import { actionRow } from './action-rows.ts';
import { forgetAdminToken, readAdminToken, rememberAdminToken } from './admin-token.ts';
import { showUnreadCounts } from './read-state.ts';
import { removeWithUndo } from './undoable-removal.ts';

const status = () => byId('sources-status');
const token = readAdminToken;

async function failureText(res: Response): Promise<string> {
  if (res.status === 401)
    return 'The admin token was refused. Check it against ADMIN_TOKEN on the server and enter it again.';
  const body = (await res.json().catch(() => null)) as ApiError | null;
  return body?.error.message ?? `The server answered ${res.status}.`;
}

type AdminAction = Omit<NewAction, 'admin'>;

/** Sends an admin call now; with no connection (offline, or the network failed), hands it to the outbox instead. */
async function adminCall(action: AdminAction): Promise<Response | 'queued'> {
  const queue = async () => {
    await queueReaderAction({ ...action, admin: true });
    return 'queued' as const;
  };
  if (!isOnline()) return queue();
  try {
    const headers = { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' };
    return await fetch(action.path, {
      method: action.method,
      headers,
      body: action.body ? JSON.stringify(action.body) : null,
    });
  } catch {
    return queue();
  }
}

async function sourcesPage(): Promise<Document | null> {
  const res = await fetch('/sources', { headers: { Accept: 'text/html' } });
  return res.ok ? new DOMParser().parseFromString(await res.text(), 'text/html') : null;
}

/** The intro's count of sources, as the server has it now. */
async function refreshIntro(fresh?: Document | null): Promise<void> {
  const intro = (fresh ?? (await sourcesPage()))?.getElementById('sources-intro');
  if (intro) byId('sources-intro')?.replaceWith(document.adoptNode(intro));
}

async function refreshList(): Promise<void> {
  const page = await sourcesPage();
  const fresh = page?.getElementById('feed-list');
  if (!page || !fresh) return;
  byId('feed-list')?.replaceWith(document.adoptNode(fresh));
  await refreshIntro(page);
  showRemoveButtons();
  // The server's list says how many articles each source has; this device knows how many are unread.
  void showUnreadCounts();
}

/** Moving a source between folders: each source's small form, sent like Remove (or queued offline). */
function wireMove(): void {
  document.addEventListener('submit', async (event) => {
    const form = (event.target as Element).closest<HTMLFormElement>('form[data-move-feed]');
    if (!form) return;
    event.preventDefault();
    if (!requireToken()) return;
    const title = form.dataset.feedTitle ?? 'this source';
    const name = String(new FormData(form).get('folder') ?? '').trim();
    const body: FeedPatch = { folder: name === '' ? null : name };
    const where = body.folder === null ? 'No folder' : `the folder “${body.folder}”`;
    try {
      const res = await adminCall({
        method: 'PATCH',
        path: feedUrl(form.dataset.moveFeed ?? ''),
        body,
        label: `Move ${title} to ${where}`,
      });
      if (res === 'queued')
        return say(status(), `You are offline: “${title}” moves to ${where} as soon as you are back online.`);
      if (!res.ok) return say(status(), await failureText(res), 'error');
      const { feed } = (await res.json()) as FeedUpdated;
      await refreshList().catch(() => undefined);
      say(
        status(),
        `Moved “${feed.title}” to ${feed.folder === null ? 'No folder' : `the folder “${feed.folder}”`}.`,
        'ok',
      );
    } catch (error) {
      say(status(), `Moving did not work: ${errorText(error)}`, 'error');
    }
  });
}

/** Renaming a folder: every source in it is moved to the new name, one PATCH each (queued offline like a move). */
function wireRename(): void {
  document.addEventListener('submit', async (event) => {
    const form = (event.target as Element).closest<HTMLFormElement>('form[data-rename-folder]');
    if (!form) return;
    event.preventDefault();
    if (!requireToken()) return;
    const from = form.dataset.renameFolder ?? '';
    const to = String(new FormData(form).get('folder') ?? '').trim();
    if (to === '' || to === from) return;
    const ids = [...(form.closest('section.folder')?.querySelectorAll<HTMLElement>('li[data-feed-id]') ?? [])].map(
      (li) => li.dataset.feedId ?? '',
    );
    const body: FeedPatch = { folder: to };
    try {
      let queued = false;
      for (const id of ids) {
        const res = await adminCall({
          method: 'PATCH',
          path: feedUrl(id),
          body,
          label: `Move a source from the folder “${from}” to “${to}”`,
        });
        if (res === 'queued') queued = true;
        else if (!res.ok) {
          await refreshList().catch(() => undefined);
          return say(status(), await failureText(res), 'error');
        }
      }
      if (queued)
        return say(
          status(),
          `You are offline: the folder “${from}” is renamed “${to}” as soon as you are back online.`,
        );
      await refreshList().catch(() => undefined);
      const sources = ids.length === 1 ? '1 source' : `${ids.length} sources`;
      say(status(), `Renamed the folder “${from}” to “${to}” (${sources}).`, 'ok');
    } catch (error) {
      say(status(), `Renaming did not work: ${errorText(error)}`, 'error');
    }
  });
}

function requireToken(): boolean {
  if (token()) return true;
  say(status(), 'Enter the admin token first.', 'error');
  byId('admin-token')?.focus();
  return false;
}

function wireToken(): void {
  const form = byId<HTMLFormElement>('admin-token-form');
  const input = byId<HTMLInputElement>('admin-token');
  if (!form || !input) return;
  const describe = () => {
    input.placeholder = token() ? 'Remembered in this browser' : '';
    input.required = !token();
  };
  describe();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    rememberAdminToken(input.value.trim());
    input.value = '';
    describe();
    say(status(), 'Admin token remembered in this browser.', 'ok');
  });
  byId('forget-admin-token')?.addEventListener('click', async () => {
    try {
      await forgetAdminToken();
      say(status(), 'Admin token forgotten.', 'ok');
    } catch (error) {
      say(
        status(),
        `The token is forgotten in this page, but the offline helper did not answer: ${errorText(error)}`,
        'error',
      );
    } finally {
      describe();
    }
  });
}

function wireAdd(): void {
  const form = byId<HTMLFormElement>('add-feed-form');
  const input = byId<HTMLInputElement>('add-feed-url');
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input || !requireToken()) return;
    const url = input.value.trim();
    say(status(), `Looking for a feed at ${url}…`);
    try {
      const res = await adminCall({ method: 'POST', path: FEEDS_PATH, body: { url }, label: `Add the source ${url}` });
      if (res === 'queued')
        return say(status(), 'You are offline: the new source is added as soon as you are back online (see Saved).');
      if (!res.ok) return say(status(), await failureText(res), 'error');
      const { feed } = (await res.json()) as FeedCreated;
      input.value = '';
      // The list first, then the word: whoever reads "Added" (a person or a test) finds the source listed.
      await refreshList().catch(() => undefined);
      say(
        status(),
        res.status === 201
          ? `Added “${feed.title}”. Its articles arrive within a minute.`
          : `“${feed.title}” was already a source.`,
        'ok',
      );
    } catch (error) {
      say(status(), `Adding did not work: ${errorText(error)}`, 'error');
    }
  });
}

function showRemoveButtons(): void {
  for (const button of document.querySelectorAll<HTMLElement>(
    '[data-remove-feed], [data-move-feed], [data-rename-folder]',
  ))
    button.hidden = false;
}

/** Removal waits out the undo window (web/pages/undoable-removal.ts); only then is DELETE sent, or queued offline. */
function wireRemove(): void {
  showRemoveButtons();
  document.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('[data-remove-feed]');
    const row = button?.closest<HTMLElement>('li');
    if (!button || !row || !requireToken()) return;
    const title = button.dataset.feedTitle ?? 'this source';
    const path = feedUrl(button.dataset.removeFeed ?? '');
    const label = `Remove the source ${title}`;
    let queued = false;
    removeWithUndo({
      row,
      removedWords: `Removed “${title}”`,
      doneWords: `Removed “${title}” and its articles`,
      commit: async (leaving) => {
        // Leaving the page: a request that outlives it (keepalive), since nothing here will wait for the answer.
        if (leaving && isOnline()) {
          await fetch(path, { method: 'DELETE', headers: { Authorization: `Bearer ${token()}` }, keepalive: true });
          return;
        }
        const res = await adminCall({ method: 'DELETE', path, label });
        if (res === 'queued') queued = true;
        else if (!res.ok && res.status !== 404) throw new Error(await failureText(res));
      },
      onDone: () => {
        if (queued) return say(status(), `You are offline: “${title}” is removed as soon as you are back online.`);
        say(status(), `Removed “${title}” and its articles.`, 'ok');
        void refreshIntro();
      },
      onUndo: () => say(status(), `“${title}” stays.`, 'ok'),
      onError: (error) => say(status(), `Removing did not work: ${errorText(error)}`, 'error'),
    });
    say(status(), `Removing “${title}” in a few seconds: Undo keeps it.`);
  });
}

function wireImport(): void {
  const form = byId<HTMLFormElement>('import-opml-form');
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!requireToken()) return;
    // A file is not worth keeping in the outbox: importing is something to do again when online.
    if (!isOnline()) return say(status(), 'Importing needs a connection; try again when you are back online.', 'error');
    say(status(), 'Importing…');
    try {
      const res = await fetch(OPML_PATH, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token()}` },
        body: new FormData(form),
      });
      if (!res.ok) return say(status(), await failureText(res), 'error');
      const result = (await res.json()) as OpmlImportResult;
      const skipped = result.invalid ? `, ${result.invalid} skipped (not a usable address)` : '';
      const filed = result.filed
        ? ` (${result.filed} of them put in the file's folders; sources already in a folder stay where they are)`
        : '';
      say(
        status(),
        `Imported: ${result.added} new, ${result.existing} already there${filed}${skipped}. New sources are fetched within a minute.`,
        'ok',
      );
      form.reset();
      await refreshList();
    } catch (error) {
      say(status(), `Importing did not work: ${errorText(error)}`, 'error');
    }
  });
}

/** The changes waiting in the outbox or refused, below the tools that made them; hidden while there are none. */
async function listPendingChanges(): Promise<void> {
  const tools = document.querySelector('[data-admin-tools]');
  if (!tools || !capabilities().serviceWorker) return;
  const list = el('ul', { id: 'pending-changes', class: 'saved-list' });
  const section = el(
    'section',
    { class: 'panel', 'aria-labelledby': 'pending-changes-heading', hidden: true },
    el('h2', { id: 'pending-changes-heading' }, 'Changes waiting to be made'),
    list,
  );
  tools.after(section);
  const actions = new Map<string, QueuedAction>();
  const render = () => {
    list.replaceChildren(
      ...[...actions.values()].map((action) => actionRow(action, (message) => say(status(), message, 'error'))),
    );
    section.hidden = actions.size === 0;
  };
  onActionChange((action, removed) => {
    if (removed) actions.delete(action.id);
    else actions.set(action.id, action);
    render();
    // A removal sent from the outbox: the list shows the server's view again.
    if (removed) void refreshList();
  });
  for (const action of await listActions()) actions.set(action.id, action);
  render();
}

export function enhanceSourcesPage(): void {
  hideJsNotes();
  for (const id of ['admin-token-form', 'add-feed-form', 'import-opml-form']) {
    const form = byId(id);
    if (form) form.hidden = false;
  }
  wireToken();
  wireAdd();
  wireRemove();
  wireMove();
  wireRename();
  wireImport();
  listPendingChanges().catch((error: unknown) =>
    console.warn('Offline Reader: the waiting changes could not be listed', error),
  );
  void showUnreadCounts();
}
