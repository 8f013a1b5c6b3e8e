// Sizes and durations as people write them, for failure messages: "4 MB", "15 s", "0.5 s".

function trimmed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trimmed(bytes / 1024)} KB`;
  return `${trimmed(bytes / (1024 * 1024))} MB`;
}

export function formatSeconds(ms: number): string {
  return `${trimmed(ms / 1000)} s`;
}
