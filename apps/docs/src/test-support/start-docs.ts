// Starts the docs the way a user does: `npm start` at the repository root, in its own
// process group so that npm, turbo and the server all go when the tests end.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const READY = /updown docs running at (http:\/\/\S+)/;

export interface RunningDocs {
  url: string;
  /** Where the demo server stores uploads (a fresh temp folder). */
  dataDir: string;
  stop(): Promise<void>;
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The group is gone already.
    }
  };
  kill('SIGTERM');
  const hard = setTimeout(() => kill('SIGKILL'), 5_000);
  return exited.finally(() => clearTimeout(hard));
}

export async function startDocs({ timeoutMs = 10 * 60_000 } = {}): Promise<RunningDocs> {
  const work = mkdtempSync(join(tmpdir(), 'updown-docs-'));
  const dataDir = join(work, 'uploads');
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', UPDOWN_DATA_DIR: dataDir, FORCE_COLOR: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const stop = async () => {
    await stopGroup(child);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no URL in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const match = READY.exec(log);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(`npm start exited (${code}) before printing its URL:\n${log.slice(-4000)}`),
        );
      });
    });
    return { url, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
