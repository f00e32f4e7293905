// Binary multiples, labelled as such (IEC): 80,000,000 B is "76 MiB", never "76 MB".
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * A size for people, in 1024-based units with their IEC names (`KiB`, `MiB`, `GiB`), so a
 * limit written as `5 * 1024 * 1024` reads `5 MiB`. One decimal below 10 units, none above.
 */
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
