// The rules the demo server enforces, imported here so the browser refuses the same files
// first, with reasons, and never sends them.
import { formatBytes } from '@updown/core';
import { demoRules } from '../../demo/rules.mjs';

export { demoRules };
export const rulesSummary = `Images, text, PDF, JSON, Markdown or zip · up to ${formatBytes(demoRules.maxSize)} each · ${demoRules.maxFiles} files at most`;
