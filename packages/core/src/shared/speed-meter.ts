export interface SpeedMeterOptions {
  /** Milliseconds, monotonic. */
  now: () => number;
  /** Time constant of the average, in ms: older samples fade by e each this long. Defaults to `3000`. */
  windowMs?: number;
  /** Shortest span one sample covers, in ms; reads closer together give the last speed. Defaults to `250`. */
  minSampleMs?: number;
}

export interface SpeedMeter {
  /** The speed in bytes per second, given every byte moved so far; 0 on the first sample after a reset. O(1). */
  sample(moved: number): number;
  /** Forgets the speed: the next sample starts a new measure. */
  reset(): void;
}

/**
 * Bytes per second as an exponential average over time, not over samples: irregular reads
 * weigh by how long they cover, and a stall fades the speed towards zero. No history is
 * kept, so a sample costs the same however long the transfer runs.
 */
export function createSpeedMeter(options: SpeedMeterOptions): SpeedMeter {
  const { now } = options;
  const tau = options.windowMs ?? 3000;
  const minSample = options.minSampleMs ?? 250;
  let speed = 0;
  let sampledAt: number | undefined;
  let sampledMoved = 0;
  return {
    sample(moved) {
      const t = now();
      if (sampledAt === undefined) {
        sampledAt = t;
        sampledMoved = moved;
        return 0;
      }
      const dt = t - sampledAt;
      if (dt < minSample) return speed;
      const instant = ((moved - sampledMoved) * 1000) / dt;
      const weight = speed === 0 ? 1 : 1 - Math.exp(-dt / tau);
      speed += weight * (instant - speed);
      sampledAt = t;
      sampledMoved = moved;
      return speed;
    },
    reset() {
      speed = 0;
      sampledAt = undefined;
    },
  };
}

/** Seconds to move `remaining` bytes at `bytesPerSecond`; `null` when either is unknown or nothing moves. */
export function secondsLeft(remaining: number | null, bytesPerSecond: number): number | null {
  if (remaining === null || bytesPerSecond <= 0) return null;
  return Math.max(0, remaining / bytesPerSecond);
}
