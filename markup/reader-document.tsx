// The HTML document around every page: no inline scripts or styles (the CSP forbids them), one stylesheet, one
// module. The header carries the navigation and two empty slots the client module fills: the connectivity
// indicator (#connectivity) and the install button (#install-app), both hidden until there is something to say.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** The pages in the main navigation; `current` marks the one the reader is on (aria-current). */
export type SitePage = 'latest' | 'saved' | 'sources' | 'settings';

const NAV: Array<{ page: SitePage; href: string; label: string }> = [
  { page: 'latest', href: '/', label: 'Latest' },
  { page: 'saved', href: '/saved', label: 'Saved' },
  { page: 'sources', href: '/sources', label: 'Sources' },
  { page: 'settings', href: '/settings', label: 'Settings' },
];

export interface ReaderDocumentProps {
  title: string;
  /** Which navigation entry to mark as current, if any. */
  current?: SitePage;
  /** Names the page for the client module (`<body data-page>`), which enhances only what the page has. */
  page?: string;
  /** What search results and link previews show; the site's own line when a page has nothing better. */
  description?: string;
  children: Child;
}

const SITE_DESCRIPTION =
  'An offline-first news reader: the latest articles from your sources, readable on the train too.';
/** Standards mode: without a doctype every browser lays the site out in quirks mode. */
const DOCTYPE = raw('<!doctype html>');

export function ReaderDocument(props: ReaderDocumentProps) {
  return (
    <>
      {DOCTYPE}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="description" content={props.description ?? SITE_DESCRIPTION} />
          <meta name="referrer" content="no-referrer" />
          <meta name="color-scheme" content="light dark" />
          <meta name="theme-color" content="#fbfaf7" media="(prefers-color-scheme: light)" />
          <meta name="theme-color" content="#17181a" media="(prefers-color-scheme: dark)" />
          <title>{`${props.title} · Offline Reader`}</title>
          <link rel="stylesheet" href="/reader.css" />
          <link rel="manifest" href="/manifest.webmanifest" />
          <link rel="icon" href="/icons/icon-192.png" type="image/png" />
          <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
          {/* Module scripts are deferred: the page renders before any script runs. */}
          <script type="module" src="/app.js"></script>
        </head>
        <body data-page={props.page}>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a href="/" class="site-name">
              Offline Reader
            </a>
            <nav aria-label="Main">
              <ul>
                {NAV.map((entry) => (
                  <li>
                    <a href={entry.href} aria-current={entry.page === props.current ? 'page' : undefined}>
                      {entry.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for some of the browsers readers use; the role is understood by all. */}
            <form method="get" action="/search" class="site-search" role="search" aria-label="Site search">
              <label for="site-search" class="visually-hidden">
                Search articles
              </label>
              <input type="search" id="site-search" name="q" placeholder="Search" maxlength={500} />
            </form>
            <p id="connectivity" class="connectivity" role="status" hidden></p>
            <button type="button" id="install-app" class="install-app" hidden>
              Install app
            </button>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">
            <p>
              Articles are fetched and cleaned up by this reader; every one links to its original.{' '}
              <a href="/saved#how-offline-works">How offline reading works</a>
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
