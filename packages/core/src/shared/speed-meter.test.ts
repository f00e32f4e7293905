import { describe, expect, it } from 'vitest';
import { createSpeedMeter, secondsLeft } from './speed-meter';

function meter(minSampleMs = 100, windowMs = 1000) {
  let time = 0;
  const speed = createSpeedMeter({ now: () => time, minSampleMs, windowMs });
  return {
    speed,
    tick(ms: number) {
      time += ms;
    },
  };
}

describe('createSpeedMeter', () => {
  it('reads 0 on the first sample, then the rate of the first span', () => {
    const m = meter();
    expect(m.speed.sample(500)).toBe(0);
    m.tick(200);
    expect(m.speed.sample(2500)).toBe(10_000);
  });

  it('averages over time: a burst moves it, but not all the way', () => {
    const m = meter();
    let moved = 0;
    m.speed.sample(moved);
    let last = 0;
    for (let i = 0; i < 20; i++) {
      m.tick(100);
      moved += 1000;
      last = m.speed.sample(moved);
    }
    expect(last).toBeCloseTo(10_000, -2);
    m.tick(100);
    moved += 2000;
    const burst = m.speed.sample(moved);
    expect(burst).toBeGreaterThan(10_000);
    expect(burst).toBeLessThan(20_000);
  });

  it('gives the last speed for reads closer together than the shortest span', () => {
    const m = meter();
    m.speed.sample(0);
    m.tick(100);
    const first = m.speed.sample(1000);
    m.tick(10);
    expect(m.speed.sample(5000)).toBe(first);
  });

  it('fades towards zero through a stall, and starts over after reset', () => {
    const m = meter();
    m.speed.sample(0);
    m.tick(100);
    m.speed.sample(1000);
    m.tick(3000);
    expect(m.speed.sample(1000)).toBeLessThan(1000);
    m.speed.reset();
    expect(m.speed.sample(1000)).toBe(0);
    m.tick(100);
    expect(m.speed.sample(1500)).toBe(5000);
  });

  it('costs the same per sample however long it runs (no history)', () => {
    const timeFor = (samples: number) => {
      const m = meter(0);
      const start = performance.now();
      for (let i = 0; i < samples; i++) {
        m.tick(1);
        m.speed.sample(i * 10);
      }
      return (performance.now() - start) / samples;
    };
    timeFor(10_000); // warm up
    expect(timeFor(200_000)).toBeLessThan(timeFor(10_000) * 5 + 0.001);
  });
});

describe('secondsLeft', () => {
  it('divides what remains by the speed, unknown when either is', () => {
    expect(secondsLeft(5000, 1000)).toBe(5);
    expect(secondsLeft(0, 1000)).toBe(0);
    expect(secondsLeft(-10, 1000)).toBe(0);
    expect(secondsLeft(null, 1000)).toBeNull();
    expect(secondsLeft(5000, 0)).toBeNull();
  });
});
