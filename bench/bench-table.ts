// One row of `npm run bench`'s table: a figure, and where it has one, the baseline measured in the same run and the
// ratio between them (so a busy or slower machine moves both, and the ratio stays comparable between runs).
export interface BenchRow {
  bench: string;
  figure: string;
  value: string;
  baseline?: string;
  ratio?: string;
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en')} ms`;
const count = (n: number) => Math.round(n).toLocaleString('en');
const bytes = (n: number) => (n >= 10_240 ? `${(n / 1024).toFixed(1)} KiB` : `${count(n)} B`);
const times = (n: number) => `${n.toFixed(2)}×`;

export const format = { ms, count, bytes, times };

/** A GitHub-flavoured Markdown table, ready to paste into the README. */
export function markdownTable(rows: BenchRow[]): string {
  const header = ['bench', 'figure', 'value', 'baseline (same run)', 'ratio'];
  const cells = rows.map((row) => [row.bench, row.figure, row.value, row.baseline ?? '', row.ratio ?? '']);
  const escapePipes = (text: string) => text.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 2 ? '---:' : '---')).join('|')}|`,
    ...cells.map((line) => `| ${line.map(escapePipes).join(' | ')} |`),
  ].join('\n');
}
