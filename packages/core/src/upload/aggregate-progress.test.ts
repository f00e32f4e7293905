import { describe, expect, it } from 'vitest';
import { createProgressAggregate, type ProgressEntry } from './aggregate-progress';
import type { UploadStatus } from './upload-item';

function entry(size: number, status: UploadStatus, loaded = 0): ProgressEntry {
  return { size, status, progress: { loaded } };
}

/** Items kept by key, each change handed to the aggregate as (prev, next). */
function harness() {
  let time = 0;
  const agg = createProgressAggregate({ now: () => time, minSampleMs: 100, speedWindowMs: 1000 });
  const items = new Map<string, ProgressEntry>();
  const set = (key: string, next: ProgressEntry | undefined) => {
    agg.apply(items.get(key), next);
    if (next) items.set(key, next);
    else items.delete(key);
  };
  const patch = (key: string, status: UploadStatus, loaded?: number) => {
    const prev = items.get(key)!;
    set(key, entry(prev.size, status, loaded ?? prev.progress.loaded));
  };
  return {
    agg,
    set,
    patch,
    tick(ms: number) {
      time += ms;
    },
  };
}

describe('aggregate progress', () => {
  it('weighs items by bytes, not by count', () => {
    const h = harness();
    h.set('small', entry(100, 'queued'));
    h.set('big', entry(900, 'queued'));
    h.patch('small', 'uploading');
    h.patch('big', 'uploading');
    h.patch('small', 'uploading', 100);
    expect(h.agg.snapshot()).toMatchObject({ loaded: 100, total: 1000, percent: 10 });
    h.patch('big', 'uploading', 450);
    expect(h.agg.snapshot().percent).toBeCloseTo(55);
  });

  it('leaves cancelled items out of both sums, and brings them back on retry', () => {
    const h = harness();
    h.set('a', entry(500, 'uploading', 250));
    h.set('b', entry(500, 'uploading', 0));
    h.patch('b', 'cancelled');
    expect(h.agg.snapshot()).toMatchObject({ loaded: 250, total: 500, percent: 50 });
    h.patch('b', 'queued', 0);
    expect(h.agg.snapshot().total).toBe(1000);
  });

  it('never goes backwards after a retry resets an item', () => {
    const h = harness();
    h.set('a', entry(1000, 'uploading'));
    const seen: number[] = [];
    for (const loaded of [200, 600, 1000]) {
      h.patch('a', 'uploading', loaded);
      seen.push(h.agg.snapshot().percent);
    }
    // The server answered 500; the retry starts the bytes again from zero.
    for (const loaded of [0, 300, 700, 900, 1000]) {
      h.patch('a', 'uploading', loaded);
      seen.push(h.agg.snapshot().percent);
    }
    h.patch('a', 'success', 1000);
    seen.push(h.agg.snapshot().percent);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(100);
  });

  it('is not 100 while any item failed, even with every byte sent', () => {
    const h = harness();
    h.set('a', entry(100, 'uploading', 100));
    h.set('b', entry(100, 'uploading', 100));
    h.patch('a', 'success');
    expect(h.agg.snapshot().percent).toBeLessThan(100);
    h.patch('b', 'error');
    expect(h.agg.snapshot().percent).toBeLessThan(100);
    h.set('b', undefined);
    h.agg.resetRun();
    expect(h.agg.snapshot().percent).toBe(100);
  });

  it('reads 100 when every non-cancelled item succeeded, empty files included', () => {
    const h = harness();
    h.set('a', entry(0, 'uploading'));
    h.set('b', entry(10, 'uploading'));
    h.patch('a', 'success');
    h.patch('b', 'cancelled');
    expect(h.agg.snapshot()).toMatchObject({ percent: 100, etaSeconds: 0 });
  });

  it('falls back to 0 when every item was cancelled', () => {
    const h = harness();
    h.set('a', entry(100, 'uploading', 60));
    expect(h.agg.snapshot().percent).toBe(60);
    h.patch('a', 'cancelled');
    expect(h.agg.snapshot()).toMatchObject({ percent: 0, total: 0, loaded: 0 });
  });

  it('counts statuses and active items', () => {
    const h = harness();
    h.set('a', entry(1, 'queued'));
    h.set('b', entry(1, 'queued'));
    h.patch('a', 'uploading');
    h.patch('b', 'uploading');
    h.patch('b', 'paused');
    expect(h.agg.active).toBe(2);
    expect(h.agg.count('paused')).toBe(1);
    h.patch('a', 'error');
    h.set('b', undefined);
    expect(h.agg.active).toBe(0);
    expect(h.agg.count('error')).toBe(1);
  });

  it('smooths the speed and derives the time left', () => {
    const h = harness();
    h.set('a', entry(100_000, 'uploading'));
    h.agg.snapshot();
    let loaded = 0;
    const speeds: number[] = [];
    for (let i = 0; i < 20; i++) {
      h.tick(100);
      loaded += 1000; // 10,000 B/s
      h.patch('a', 'uploading', loaded);
      speeds.push(h.agg.snapshot().bytesPerSecond);
    }
    expect(speeds.at(-1)).toBeCloseTo(10_000, -2);
    // A burst twice as fast moves the average, but not all the way at once.
    h.tick(100);
    loaded += 2000;
    h.patch('a', 'uploading', loaded);
    const after = h.agg.snapshot();
    expect(after.bytesPerSecond).toBeGreaterThan(10_000);
    expect(after.bytesPerSecond).toBeLessThan(20_000);
    expect(after.etaSeconds).toBeCloseTo((100_000 - loaded) / after.bytesPerSecond, 5);
    // Reads closer together than the sample span do not make noise.
    h.tick(1);
    expect(h.agg.snapshot().bytesPerSecond).toBe(after.bytesPerSecond);
  });

  it('has no speed and no eta when nothing moves', () => {
    const h = harness();
    h.set('a', entry(100, 'queued'));
    expect(h.agg.snapshot()).toMatchObject({ bytesPerSecond: 0, etaSeconds: null, percent: 0 });
  });

  it('handles each progress event in constant time, however many items exist', () => {
    const timeFor = (n: number) => {
      const h = harness();
      for (let i = 0; i < n; i++) h.set(String(i), entry(1000, 'uploading'));
      const prev = entry(1000, 'uploading', 0);
      const events = 200_000;
      const start = performance.now();
      for (let i = 1; i <= events; i++) h.agg.apply(prev, entry(1000, 'uploading', i % 1000));
      return performance.now() - start;
    };
    timeFor(10); // warm up
    const small = timeFor(10);
    const large = timeFor(20_000);
    // Linear work would make this 2000 times slower; allow generous noise.
    expect(large).toBeLessThan(small * 20 + 50);
  });
});
