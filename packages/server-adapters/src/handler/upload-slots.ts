import { HandlerError } from './errors';

/** Seconds a client refused for a full server is told to wait (`Retry-After`). */
const RETRY_AFTER_SECONDS = 5;

/** Uploads received at once, up to a cap. */
export interface UploadSlots {
  /**
   * Takes a slot, and resolves with what `run` resolves; the slot is given back when `run`
   * settles. Throws 503 `server-busy` (with `Retry-After`) when every slot is taken.
   */
  hold<T>(run: () => Promise<T>, headers?: Record<string, string>): Promise<T>;
  /** Slots in use now. */
  readonly active: number;
}

export function uploadSlots(limit: number): UploadSlots {
  let active = 0;
  return {
    async hold(run, headers = {}) {
      if (active >= limit) {
        throw new HandlerError('server-busy', 'Too many uploads at once; try again shortly', {
          headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), ...headers },
        });
      }
      active += 1;
      try {
        return await run();
      } finally {
        active -= 1;
      }
    },
    get active() {
      return active;
    },
  };
}
