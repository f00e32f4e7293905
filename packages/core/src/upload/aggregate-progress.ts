import { createSpeedMeter, secondsLeft } from '../shared/speed-meter';
import type { UploadStatus } from './upload-item';
import type { AggregateProgress } from './uploader-types';

/** The three fields of an item the aggregate needs. An `UploadItem` is one. */
export interface ProgressEntry {
  readonly size: number;
  readonly status: UploadStatus;
  readonly progress: { readonly loaded: number };
}

export interface ProgressAggregateOptions {
  /** Milliseconds, monotonic. */
  now: () => number;
  /** Time constant of the speed average, in ms: older samples fade by e each this long. Defaults to `3000`. */
  speedWindowMs?: number;
  /** Shortest span one speed sample covers, in ms. Defaults to `250`. */
  minSampleMs?: number;
}

export interface ProgressAggregate {
  /**
   * An item changed from `prev` to `next` (either absent when added or removed). O(1): the
   * running sums move by the difference.
   */
  apply(prev: ProgressEntry | undefined, next: ProgressEntry | undefined): void;
  /** The aggregate now. Percent never goes below what was last read, until `resetRun()`. */
  snapshot(): AggregateProgress;
  /** Items per status, kept as items change. */
  count(status: UploadStatus): number;
  /** The work changed (items added or removed while idle): percent may start lower. */
  resetRun(): void;
  /** Items uploading or paused. */
  readonly active: number;
}

const CAP_BEFORE_DONE = 99;

/**
 * Byte-weighted progress over every item that is not cancelled, kept incrementally so a
 * progress event costs the same with ten items or ten thousand.
 */
export function createProgressAggregate(options: ProgressAggregateOptions): ProgressAggregate {
  // The meter has the defaults.
  const meter = createSpeedMeter({
    now: options.now,
    windowMs: options.speedWindowMs,
    minSampleMs: options.minSampleMs,
  });
  const counts: Record<UploadStatus, number> = {
    queued: 0,
    uploading: 0,
    paused: 0,
    success: 0,
    error: 0,
    cancelled: 0,
  };
  /** Items not cancelled: what the percent is of. */
  let live = 0;
  let total = 0;
  let loaded = 0;
  /** Every byte reported sent, re-sent ones included: what the speed is made of. */
  let moved = 0;
  let floor = 0;

  function add(entry: ProgressEntry, sign: 1 | -1): void {
    counts[entry.status] += sign;
    if (entry.status === 'cancelled') return;
    live += sign;
    total += sign * entry.size;
    loaded += sign * entry.progress.loaded;
  }

  function bytesPerSecond(): number {
    if (counts.uploading + counts.paused === 0) {
      meter.reset();
      return 0;
    }
    return meter.sample(moved);
  }

  return {
    apply(prev, next) {
      if (prev) add(prev, -1);
      if (!next) return;
      add(next, 1);
      const delta = prev ? next.progress.loaded - prev.progress.loaded : 0;
      if (delta > 0 && next.status !== 'cancelled') moved += delta;
    },
    snapshot() {
      const complete = live > 0 && counts.success === live;
      // With nothing left to send (no live item) there is no progress to hold on to.
      const percent = complete
        ? 100
        : live &&
          Math.min(CAP_BEFORE_DONE, Math.max(floor, total > 0 ? (loaded / total) * 100 : 0));
      floor = percent;
      const bps = bytesPerSecond();
      const etaSeconds = complete ? 0 : secondsLeft(Math.max(0, total - loaded), bps);
      return { loaded, total, percent, bytesPerSecond: bps, etaSeconds };
    },
    count: (status) => counts[status],
    resetRun() {
      floor = 0;
    },
    get active() {
      return counts.uploading + counts.paused;
    },
  };
}
