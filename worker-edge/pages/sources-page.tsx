// GET /sources: every feed with its health in words, by folder, and the admin tools (add, remove, move to a folder,
// OPML import / export).
// The list and the export work without JavaScript; the admin actions need the token, which the client module sends.
import { FOLDER_NAME_MAX, type FeedStatus, type FeedView, NO_FOLDER_LABEL } from '../../contract/http.ts';
import { folderPageUrl } from '../../contract/paths.ts';
import { formatDateTime, relativeTime } from '../../markup/page-dates.ts';
import { ReaderDocument } from '../../markup/reader-document.tsx';

const STATUS_WORDS: Record<FeedStatus, string> = {
  ok: 'Working',
  pending: 'Waiting for its first fetch',
  error: 'Failing; retried later',
  gone: 'Gone; no longer fetched',
};

function When(props: { iso: string | null; now: number; never: string }) {
  if (!props.iso) return <>{props.never}</>;
  return (
    <time datetime={props.iso} title={formatDateTime(props.iso) ?? undefined} data-relative>
      {relativeTime(props.iso, props.now)}
    </time>
  );
}

function SourceEntry(props: { feed: FeedView; now: number }) {
  const { feed, now } = props;
  return (
    <li class="source" data-feed-id={String(feed.id)}>
      <div class="source-head">
        <h3>
          {feed.siteUrl ? (
            <a href={feed.siteUrl} rel="noopener noreferrer">
              {feed.title}
            </a>
          ) : (
            feed.title
          )}
        </h3>
        <button
          type="button"
          class="small-button"
          data-remove-feed={String(feed.id)}
          data-feed-title={feed.title}
          aria-label={`Remove ${feed.title}`}
          hidden
        >
          Remove
        </button>
      </div>
      <p class="source-url">{feed.url}</p>
      <dl class="source-health">
        <div>
          <dt>Status</dt>
          <dd class={`status status-${feed.status}`}>{STATUS_WORDS[feed.status]}</dd>
        </div>
        <div>
          <dt>Last fetched</dt>
          <dd>
            <When iso={feed.lastFetchedAt} now={now} never="Not yet" />
          </dd>
        </div>
        <div>
          <dt>Next fetch</dt>
          <dd>
            <When iso={feed.nextFetchAt} now={now} never="Not scheduled" />
          </dd>
        </div>
        <div>
          <dt>Articles</dt>
          <dd>
            {/* How many are unread is known on the reader's device only: the page script writes it in. */}
            {feed.itemCount > 0 ? (
              <a
                href={`/?feed=${feed.id}`}
                data-unread-count={String(feed.id)}
                data-item-count={String(feed.itemCount)}
              >
                {feed.itemCount === 1 ? '1 article' : `${feed.itemCount} articles`}
              </a>
            ) : (
              'None yet'
            )}
          </dd>
        </div>
      </dl>
      {feed.lastError && (
        <p class="source-error">
          <strong>Last error:</strong> {feed.lastError}
          {feed.status === 'error' && ' We keep trying, waiting longer after each failure.'}
        </p>
      )}
      <MoveToFolder feed={feed} />
    </li>
  );
}

/** Moving a feed is an admin action: like Remove, the client module shows the form and sends it with the token. */
function MoveToFolder(props: { feed: FeedView }) {
  const { feed } = props;
  return (
    <form class="move-feed" data-move-feed={String(feed.id)} data-feed-title={feed.title} hidden>
      <label for={`folder-${feed.id}`}>Folder</label>
      <input
        id={`folder-${feed.id}`}
        name="folder"
        value={feed.folder ?? ''}
        list="folder-names"
        maxlength={FOLDER_NAME_MAX}
        placeholder="No folder"
        autocomplete="off"
      />
      <button type="submit" class="small-button" aria-label={`Move ${feed.title} to this folder`}>
        Move
      </button>
    </form>
  );
}

/** Renaming a folder moves each of its sources (an admin action, like Move): the client module shows and sends it. */
function RenameFolder(props: { folder: string; index: number }) {
  const id = `rename-folder-${props.index}`;
  return (
    <form class="move-feed rename-folder" data-rename-folder={props.folder} hidden>
      <label for={id}>New name</label>
      <input id={id} name="folder" value={props.folder} maxlength={FOLDER_NAME_MAX} autocomplete="off" required />
      <button type="submit" class="small-button" aria-label={`Rename the folder ${props.folder}`}>
        Rename
      </button>
    </form>
  );
}

/** Feeds by folder: folders by name, "No folder" last; each folder's feeds in the order given. */
function feedsByFolder(feeds: FeedView[]): Array<{ folder: string | null; feeds: FeedView[] }> {
  const groups = new Map<string | null, FeedView[]>();
  for (const feed of feeds) groups.set(feed.folder, [...(groups.get(feed.folder) ?? []), feed]);
  const named = [...groups.keys()]
    .filter((f): f is string => f !== null)
    .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1));
  return [...named, ...(groups.has(null) ? [null] : [])].map((folder) => ({ folder, feeds: groups.get(folder) ?? [] }));
}

export function FeedList(props: { feeds: FeedView[]; now: number }) {
  if (props.feeds.length === 0) {
    return (
      <p class="empty-state" id="feed-list">
        No sources yet: add one below, by the address of a site or of its feed.
      </p>
    );
  }
  const groups = feedsByFolder(props.feeds);
  return (
    <div id="feed-list">
      {groups.map(({ folder, feeds }, i) => (
        <section class="folder" aria-labelledby={`folder-heading-${i}`} data-folder={folder ?? ''}>
          <h2 id={`folder-heading-${i}`} class="folder-heading">
            {folder === null ? NO_FOLDER_LABEL : <a href={folderPageUrl(folder)}>{folder}</a>}
          </h2>
          {folder !== null && <RenameFolder folder={folder} index={i} />}
          <ul class="sources">
            {feeds.map((feed) => (
              <SourceEntry feed={feed} now={props.now} />
            ))}
          </ul>
        </section>
      ))}
      <datalist id="folder-names">
        {groups.flatMap(({ folder }) => (folder === null ? [] : [<option value={folder} />]))}
      </datalist>
    </div>
  );
}

function AdminTools() {
  return (
    <section class="admin" aria-labelledby="manage-heading" data-admin-tools>
      <h2 id="manage-heading">Add and remove sources</h2>
      <p>
        Changing the sources needs the admin token set on the server: <code>wrangler secret put ADMIN_TOKEN</code> when
        deployed, or <code>ADMIN_TOKEN</code> in <code>.dev.vars</code> locally (<code>npm start</code> writes one and
        prints it). Enter it once here; it stays in this browser only.
      </p>
      <p class="js-note" data-js-note>
        These tools need JavaScript, which is off or has not loaded. Without it, use the API, e.g.{' '}
        <code>curl -X POST /api/feeds -H "Authorization: Bearer $ADMIN_TOKEN" -d '{'{"url":"…"}'}'</code>.
      </p>
      <form id="admin-token-form" class="stacked-form" hidden>
        <label for="admin-token">Admin token</label>
        <div class="input-row">
          <input id="admin-token" name="token" type="password" autocomplete="off" required />
          <button type="submit">Remember</button>
          <button type="button" class="quiet-button" id="forget-admin-token">
            Forget
          </button>
        </div>
      </form>
      <form id="add-feed-form" class="stacked-form" hidden>
        <label for="add-feed-url">Site or feed address</label>
        <div class="input-row">
          <input id="add-feed-url" name="url" type="url" inputmode="url" placeholder="https://example.com/" required />
          <button type="submit">Add source</button>
        </div>
      </form>
      <form id="import-opml-form" class="stacked-form" hidden>
        <label for="import-opml-file">Import a list of sources (OPML)</label>
        <div class="input-row">
          <input
            id="import-opml-file"
            name="opml"
            type="file"
            accept=".opml,.xml,text/x-opml,text/xml,application/xml"
            required
          />
          <button type="submit">Import</button>
        </div>
      </form>
      <p id="sources-status" class="form-status" role="status"></p>
    </section>
  );
}

export function SourcesPage(props: { feeds: FeedView[]; now: number }) {
  const failing = props.feeds.filter((f) => f.status === 'error' || f.status === 'gone').length;
  return (
    <ReaderDocument title="Sources" current="sources" page="sources">
      <div class="page-head">
        <h1>Sources</h1>
        <p class="page-intro" id="sources-intro">
          {props.feeds.length === 1 ? '1 source' : `${props.feeds.length} sources`}
          {failing > 0 && `, ${failing} with problems`}. Each is fetched on its own schedule, between every 15 minutes
          and once a day.{' '}
          <a href="/api/opml" download="subscriptions.opml">
            Export them as OPML
          </a>
        </p>
      </div>
      <section aria-labelledby="feed-list-heading">
        <h2 id="feed-list-heading" class="visually-hidden">
          Your sources
        </h2>
        <FeedList feeds={props.feeds} now={props.now} />
      </section>
      <AdminTools />
    </ReaderDocument>
  );
}
