let prefix: string | undefined;
let counter = 0;

/**
 * An id unique within the page: a random prefix drawn once (two copies of this module on
 * one page draw different ones), then a counter. Not a UUID per file: a drop of thousands of
 * files makes one id each, and in Node `crypto.randomUUID()` leaves about 600 bytes behind
 * per call.
 */
export function createId(): string {
  prefix ??= Math.random().toString(36).slice(2, 12);
  counter++;
  return `${prefix}-${counter.toString(36)}`;
}
