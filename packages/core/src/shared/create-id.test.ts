import { describe, expect, it } from 'vitest';
import { createId } from './create-id';

describe('createId', () => {
  it('never gives the same id twice, each a shared random prefix and a counter', () => {
    const ids = Array.from({ length: 5000 }, () => createId());
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = new Set(ids.map((id) => id.slice(0, id.lastIndexOf('-'))));
    expect(prefixes.size).toBe(1);
    expect([...prefixes][0]).toMatch(/^[0-9a-z]{6,}$/);
  });
});
