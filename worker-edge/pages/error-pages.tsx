// Pages for a page address that leads nowhere, and for a page that failed: what happened and ways on.
import { ReaderDocument } from '../../markup/reader-document.tsx';

export function NotFoundPage(props: { path: string }) {
  return (
    <ReaderDocument title="Page not found">
      <section class="notice-page">
        <h1>This page is not here</h1>
        <p>
          Nothing is at <code>{props.path}</code>. The link may be mistyped, or the page may have moved.
        </p>
        <ul class="ways-on">
          <li>
            <a href="/">The latest articles</a>
          </li>
          <li>
            <a href="/saved">What is saved for offline</a>
          </li>
          <li>
            <a href="/sources">Your sources</a>
          </li>
        </ul>
      </section>
    </ReaderDocument>
  );
}

export function PageFailurePage() {
  return (
    <ReaderDocument title="Something went wrong">
      <section class="notice-page">
        <h1>Something went wrong on our side</h1>
        <p>This page could not be put together just now; the problem has been logged. Please reload in a moment.</p>
        <p>
          Articles you saved for offline reading are still on this device: <a href="/saved">see them</a>.
        </p>
      </section>
    </ReaderDocument>
  );
}
