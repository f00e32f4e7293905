import { type Transport, tusTransport } from '@updown/core';
import type { DemoAnswer } from './answer';

/**
 * The demos' resumable mode: tus to the demo server, 4 MiB per PATCH so that a pause keeps
 * most of what was sent. Made on first use, in the browser.
 */
let tus: Transport<DemoAnswer> | undefined;
export function resumableTransport(): Transport<DemoAnswer> {
  tus ??= tusTransport({ endpoint: '/api/files/tus', chunkSize: 4 * 1024 * 1024 });
  return tus;
}
