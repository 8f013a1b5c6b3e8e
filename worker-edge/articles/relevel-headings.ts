// The reading page's h1 is the article's title, so the content's headings nest under it: its top heading level
// becomes h2, and each deeper heading goes one level down from the one it sits under, whatever levels the page
// used (pages jump from h1 to h4, or start at h3). Screen readers and axe's heading-order read an outline that holds.
// Works on sanitised HTML, where every "<h1>" … "</h6>" is a real tag without attributes.

const HEADING_TAG = /<(\/?)h([1-6])>/g;

export function relevelHeadings(html: string): string {
  const open: Array<{ from: number; to: number }> = [];
  let current = 2;
  return html.replace(HEADING_TAG, (_tag, closing: string, digit: string) => {
    if (closing) return `</h${current}>`;
    const level = Number(digit);
    while (open.length && open[open.length - 1]!.from >= level) open.pop();
    current = Math.min(6, open.length ? open[open.length - 1]!.to + 1 : 2);
    open.push({ from: level, to: current });
    return `<h${current}>`;
  });
}
