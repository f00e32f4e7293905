import { describe, expect, it } from 'vitest';
import { tusChecksum } from './tus-checksum';

describe('tusChecksum', () => {
  it('answers the Upload-Checksum value of a chunk: algorithm and base64 digest', async () => {
    const chunk = new Blob(['abc']);
    expect(await tusChecksum('sha1')(chunk)).toBe('sha1 qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
    expect(await tusChecksum('sha256')(chunk)).toBe(
      'sha256 ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
    );
  });
});
