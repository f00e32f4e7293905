let prefix: string | undefined;
let counter = 0;

/** Random letters and digits, drawn from `crypto` where the runtime has it. */
function randomPart(): string {
  const cryptoObject = (globalThis as { crypto?: Pick<Crypto, 'getRandomValues'> }).crypto;
  if (typeof cryptoObject?.getRandomValues === 'function') {
    const [a = 0, b = 0] = cryptoObject.getRandomValues(new Uint32Array(2));
    return a.toString(36) + b.toString(36);
  }
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

/**
 * An id unique within the page (and across pages, by chance of 1 in 2^64): a random prefix
 * drawn once, then a counter. Not a UUID per file: a drop of thousands of files makes one id
 * each, and in Node `crypto.randomUUID()` leaves about 600 bytes behind per call.
 */
export function createId(): string {
  prefix ??= randomPart();
  counter++;
  return `${prefix}-${counter.toString(36)}`;
}
