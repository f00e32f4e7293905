const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Human size in binary multiples with decimal-style labels, as file pickers show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded =
    unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0).replace(/\.0$/, '');
  return `${rounded} ${UNITS[unit]}`;
}
