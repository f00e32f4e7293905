const HOUR = 60 * 60 * 1000;

/**
 * Removes uploads older than `keepMs` from the demo's storage, once now and then every
 * `intervalMs`. The demo takes files from anyone who opens the page; its disk must not fill.
 * The timer never keeps the process alive.
 *
 * @param {import('@updown/server-adapters').Storage} storage
 * @param {{ keepMs: number, intervalMs?: number, now?: () => number }} options
 */
export function keepRecentUploads(
  storage,
  { keepMs, intervalMs = Math.min(keepMs, HOUR), now = Date.now },
) {
  async function sweep() {
    let removed = 0;
    for (const file of (await storage.list?.()) ?? []) {
      if (now() - file.createdAt > keepMs && (await storage.delete(file.id))) removed += 1;
    }
    return removed;
  }
  const run = () =>
    void sweep().catch((error) => console.error('updown docs: sweep failed:', error));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return { sweep, stop: () => clearInterval(timer) };
}
