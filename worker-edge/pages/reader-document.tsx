// The HTML document around every page: no inline scripts or styles (the CSP forbids them), one stylesheet, one module.
import type { Child } from 'hono/jsx';

export function ReaderDocument(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · Offline Reader`}</title>
        <link rel="stylesheet" href="/reader.css" />
        <link rel="manifest" href="/manifest.webmanifest" />
        {/* Module scripts are deferred: the page renders before any script runs. */}
        <script type="module" src="/app.js"></script>
      </head>
      <body>
        <header class="site-header">
          <a href="/" class="site-name">Offline Reader</a>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
