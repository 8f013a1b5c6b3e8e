// GET /saved: what this device can read offline (with sizes), what is waiting to be fetched (with the reason for a
// wait or a failure, and Retry / Remove), and the storage used. All of it lives in the browser, so the server sends
// the frame and the client module fills it from the service worker's records.
import { JsNote } from './js-note.tsx';
import { ReaderDocument } from './reader-document.tsx';

export function SavedPage() {
  return (
    <ReaderDocument title="Saved for offline" current="saved" page="saved">
      <div class="page-head">
        <h1>Saved for offline</h1>
        <p class="page-intro">Articles kept on this device, readable with no connection.</p>
      </div>
      <JsNote>
        Saving articles for offline reading needs JavaScript and a browser with service workers; with JavaScript off,
        nothing is stored on this device. Every article stays readable online.
      </JsNote>
      <section aria-labelledby="ready-heading" class="panel">
        <h2 id="ready-heading">Ready to read offline</h2>
        <p id="offline-loading" class="empty-state" hidden>
          Looking for what this device keeps…
        </p>
        <ul id="offline-ready" class="saved-list"></ul>
        <p id="offline-ready-empty" class="empty-state" hidden>
          Nothing saved yet. Open an article and choose “Save for offline”, or let background refresh keep the newest
          ones (see <a href="/settings">Settings</a>).
        </p>
      </section>
      <section aria-labelledby="waiting-heading" class="panel">
        <h2 id="waiting-heading">Waiting to be fetched</h2>
        <ul id="offline-waiting" class="saved-list"></ul>
        <p id="offline-waiting-empty" class="empty-state" hidden>
          Nothing is waiting.
        </p>
      </section>
      <section id="offline-policy" aria-labelledby="policy-heading" class="panel" hidden>
        <h2 id="policy-heading">Kept automatically</h2>
        <p id="policy-rules"></p>
        <p id="policy-held"></p>
        <p id="policy-next"></p>
        <p class="help">
          Articles you save yourself are never counted or removed. <a href="/settings">Change what is kept</a>
        </p>
      </section>
      <section aria-labelledby="storage-heading" class="panel">
        <h2 id="storage-heading">Storage on this device</h2>
        <dl class="facts" id="storage-facts">
          <div>
            <dt>Used</dt>
            <dd id="storage-used">Unknown</dd>
          </div>
          <div>
            <dt>Available to this site</dt>
            <dd id="storage-quota">Unknown</dd>
          </div>
          <div>
            <dt>Kept when space runs low</dt>
            <dd id="storage-persistent">Unknown</dd>
          </div>
        </dl>
        <button type="button" id="persist-storage" class="quiet-button" hidden>
          Keep saved articles when space runs low
        </button>
      </section>
      <section aria-labelledby="how-offline-works" class="panel">
        <h2 id="how-offline-works" tabindex={-1}>
          How offline reading works
        </h2>
        <p>
          “Save for offline” on an article keeps it, with its pictures, on this device. Saved while offline, it waits
          here and is fetched as soon as you are back online, even if you have closed the reader, where the browser
          supports Background Sync; elsewhere, the next time you open the reader online. Nothing waiting is dropped: it
          stays until it is ready or you remove it.
        </p>
      </section>
    </ReaderDocument>
  );
}
