// GET /share: where the installed app receives pages shared to it (the manifest's share_target). It names what was
// shared; the client module saves it for offline reading through the service worker, or queues it while offline:
// at once when the reader sent it (data-share-at-once, from Sec-Fetch-Site), after a tap on Save otherwise.
import { JsNote } from '../../markup/js-note.tsx';
import type { SharedPage } from '../../contract/share-target.ts';
import { ReaderDocument } from '../../markup/reader-document.tsx';

const hostOf = (url: string) => URL.parse(url)?.host ?? url;

export function SharePage(props: { shared: SharedPage | null; atOnce: boolean }) {
  const { shared, atOnce } = props;
  if (!shared) {
    return (
      <ReaderDocument title="Nothing to save" page="share">
        <section class="notice-page">
          <h1>Nothing to save</h1>
          <p>
            What was shared had no web address in it, so there is no page to save. Share a page from your browser
            instead.
          </p>
          <p>
            <a href="/">See the latest articles</a>
          </p>
        </section>
      </ReaderDocument>
    );
  }
  return (
    <ReaderDocument title="Save for offline" page="share">
      <section
        class="notice-page"
        data-share-url={shared.url}
        data-share-title={shared.title ?? ''}
        data-share-at-once={atOnce ? '' : undefined}
      >
        <h1>Save for offline reading</h1>
        <p class="shared-page">
          <strong>{shared.title || hostOf(shared.url)}</strong>
          <br />
          <span class="source-url">{shared.url}</span>
        </p>
        <p id="share-status" role="status" data-offline-state-text>
          {atOnce ? 'Saving…' : 'Not saved yet.'}
        </p>
        <JsNote>
          Saving needs JavaScript, which is off or has not loaded. You can still{' '}
          <a href={shared.url} rel="noopener noreferrer">
            open the page at {hostOf(shared.url)}
          </a>
          .
        </JsNote>
        <p>
          <a href="/saved">See everything saved for offline</a>
        </p>
      </section>
    </ReaderDocument>
  );
}
