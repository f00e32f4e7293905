import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Every file and folder under `root` (hidden ones and partial-upload folders included), with
 * each file's size, sorted: two equal snapshots mean nothing was added, removed or grown.
 */
export async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.push(`${path}/`);
        await walk(join(dir, entry.name), path);
      } else {
        const info = await stat(join(dir, entry.name)).catch(() => null);
        out.push(`${path} ${info?.size ?? '?'}`);
      }
    }
  }
  await walk(root, '');
  return out.sort();
}

/**
 * Waits until the folder looks as it did before: the server cleans up after an abort
 * asynchronously, so the last state is compared only once it has had time to settle.
 */
export async function expectSettledTo(
  root: string,
  expected: string[],
  timeoutMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let current = await snapshot(root);
  while (JSON.stringify(current) !== JSON.stringify(expected) && Date.now() < deadline) {
    await sleep(50);
    current = await snapshot(root);
  }
  return current;
}
