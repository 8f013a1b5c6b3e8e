// A large feed as real publishers write them: `items` items, each with a few paragraphs of escaped HTML (links,
// bold text) in its description. 1,500 items come to about 3.9 MB, just under the 4 MB body cap.
const PARAGRAPH =
  '<p>Paragraph with <a href="https://example.org/x">a link</a> and <b>bold</b> text, some more words here to fill.</p>';
const ESCAPED = PARAGRAPH.repeat(16).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function realisticFeed(items: number): string {
  const item = (i: number) =>
    `<item><title>Item ${i}</title><link>https://example.org/${i}</link><guid>g${i}</guid>` +
    `<pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate><description>${ESCAPED}</description></item>`;
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://example.org/</link>${Array.from({ length: items }, (_, i) => item(i)).join('')}</channel></rss>`;
}
