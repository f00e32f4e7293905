// One rules object, imported by the page (to refuse early, with reasons) and by the demo
// server (to refuse again, because a browser can be bypassed).
import { defineRules } from '@updown/core';

export const demoRules = defineRules({
  accept: ['image/*', 'text/*', 'application/pdf', 'application/json', '.md', '.zip'],
  maxSize: 256 * 1024 * 1024,
  maxFiles: 20,
});
