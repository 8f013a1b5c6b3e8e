// The server prints times in UTC (pages may come from a cache); here they become the reader's own: "2 hours ago"
// for the recent ones, their local date for older ones. The machine-readable datetime and the UTC title stay.
import { formatWhen } from './format.ts';

export function localiseTimes(root: ParentNode = document): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>('.item-meta time[datetime], time[data-relative]')) {
    const at = Date.parse(time.dateTime);
    if (Number.isNaN(at)) continue;
    time.title ||= time.textContent ?? '';
    time.textContent = formatWhen(at);
  }
}
