import { defineRules } from '@updown/core';

/**
 * What the app takes, in one module for the page and the route handler: the browser judges a
 * file before sending it, and the server judges it again as the bytes arrive.
 */
export const uploadRules = defineRules({
  accept: ['image/*', 'application/pdf', 'text/plain', 'application/octet-stream'],
  maxSize: 64 * 1024 * 1024,
});
