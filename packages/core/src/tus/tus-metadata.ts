function base64Utf8(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The `Upload-Metadata` header: `key base64(value)` pairs joined by commas, values UTF-8.
 * Keys with spaces or commas cannot be sent, so they are left out.
 */
export function encodeTusMetadata(metadata: Readonly<Record<string, string>>): string {
  return Object.entries(metadata)
    .filter(([key]) => /^[\x21-\x2b\x2d-\x7e]+$/.test(key))
    .map(([key, value]) => (value === '' ? key : `${key} ${base64Utf8(value)}`))
    .join(',');
}
