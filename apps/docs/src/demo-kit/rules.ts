// The rules the demo server enforces, imported here so the browser refuses the same files
// first, with reasons, and never sends them.
import { demoRules as rules } from '../../demo/rules.mjs';

export const demoRules = rules;
export const rulesSummary =
  'Images, text, PDF, JSON, Markdown or zip · up to 256 MB each · 20 files at most';
