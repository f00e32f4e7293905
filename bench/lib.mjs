// Helpers every benchmark uses. Not a benchmark: run.mjs runs only `*.bench.mjs`.

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Starts `server` on a free port of 127.0.0.1 and resolves with the port. */
export function listenOnLoopback(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );
}

/** Kills a child process and waits until it has exited. */
export async function stopChild(child) {
  child.kill();
  await new Promise((resolve) =>
    child.exitCode === null ? child.once('exit', resolve) : resolve(),
  );
}
