import { describe, expect, it } from 'vitest';
import { concatenationId, createFileId, isValidFileId } from './file-id';

describe('file ids', () => {
  it('mints 128-bit base64url ids that never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, createFileId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('derives the same final id from the same pieces in the same order, and only then', () => {
    const [a, b] = [createFileId(), createFileId()];
    expect(concatenationId([a, b])).toBe(concatenationId([a, b]));
    expect(concatenationId([a, b])).not.toBe(concatenationId([b, a]));
    expect(concatenationId([a, b])).not.toBe(concatenationId([`${a}${b}`]));
    expect(isValidFileId(concatenationId([a, b]))).toBe(true);
    expect(concatenationId([a, b])).toHaveLength(22);
  });

  it('lets through only base64url ids up to 128 characters', () => {
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\0', 'a.b', 'x'.repeat(129), 'é']) {
      expect(isValidFileId(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isValidFileId('x'.repeat(128))).toBe(true);
  });
});
