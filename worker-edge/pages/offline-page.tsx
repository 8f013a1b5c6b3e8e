// GET /offline: the page the service worker shows for a navigation it cannot serve, offline, from its precache.
// It is served at the address the reader asked for, so the client module reads that address: for an article not
// kept on this device it shows "Get it when I'm back online"; for a page shared to the app (/share) it follows the
// page the service worker queued; and it lists exactly the articles that open offline.
import { Hono } from 'hono';
import { pageSecurity } from '../middleware/page-security.ts';
import { ReaderDocument } from '../../markup/reader-document.tsx';

/**
 * Only Background Sync fetches with the app closed: the page script shows this where the browser has it and the
 * reader allows it; elsewhere the fetch waits for the app to be open and online.
 */
function CloseThePromise() {
  return (
    <span data-closed-app-promise hidden>
      , even if you close the app
    </span>
  );
}

/**
 * What tells the reader it is ready: Saved, always; a notification only where they allowed them and left "tell me
 * when a save is ready" on, which the page script knows (it replaces these words), and the page itself while open.
 */
function ReadyPromise() {
  return <span data-ready-promise>When it is ready, it is on Saved.</span>;
}

export function OfflinePage() {
  return (
    <ReaderDocument title="Offline" page="offline">
      <section class="reader notice-page offline-page" data-offline-page>
        <h1>You are offline</h1>
        <p>This page is not saved on this device, and there is no connection to fetch it now.</p>
        <div class="offline-request" data-offline-request hidden>
          <p>
            <strong data-offline-request-title>This article</strong> can be fetched for you as soon as you are back
            online
            <CloseThePromise />. <ReadyPromise />
          </p>
          <p data-item-id="">
            <button type="button" class="button" data-save-offline>
              Get it when I'm back online
            </button>{' '}
            <span class="offline-mark" data-offline-mark></span>
          </p>
        </div>
        <div class="offline-request" data-offline-share hidden>
          <p>
            <strong data-share-title>The page you shared</strong> is kept in your outbox: it is downloaded as soon as
            you are back online
            <CloseThePromise />.
          </p>
          <p id="share-status" role="status">
            Saving…
          </p>
        </div>
        <h2>Readable offline</h2>
        <ul class="offline-list" data-offline-list>
          <li>Articles on this device are listed here: the ones you save, and the ones you read before.</li>
        </ul>
        <p>
          <a href="/saved">Saved articles</a> · <a href="/">Latest</a>
        </p>
      </section>
    </ReaderDocument>
  );
}

export const offlineRoutes = new Hono<{ Bindings: Env }>();

offlineRoutes.use('*', pageSecurity());

// The service worker precaches this page by revision; browsers should always ask again.
offlineRoutes.get('/', (c) => c.html(<OfflinePage />, 200, { 'Cache-Control': 'no-cache' }));
