import type { Rules } from '@updown/core/rules';
import type { UploadLimits } from './handler-types';

/** Limits with every default filled in and the rules folded in. */
export type ResolvedLimits = Required<UploadLimits>;

export const DEFAULT_LIMITS: ResolvedLimits = {
  fileSize: 1024 * 1024 * 1024,
  files: 20,
  fields: 100,
  fieldSize: 64 * 1024,
  fieldsTotalSize: 1024 * 1024,
  parts: 200,
  headerPairs: 20,
  idleTimeoutMs: 30_000,
  minBytesPerSecond: 1024,
  rateWindowMs: 30_000,
  maxDurationMs: 2 * 60 * 60 * 1000,
  concurrentUploads: 256,
};

/** The tighter of `limits` and `rules` wins, so the rules never let more through than limits. */
export function resolveLimits(limits: UploadLimits = {}, rules: Rules = {}): ResolvedLimits {
  const pick = <K extends keyof UploadLimits>(key: K): number => limits[key] ?? DEFAULT_LIMITS[key];
  return {
    fileSize: Math.min(pick('fileSize'), rules.maxSize ?? Number.POSITIVE_INFINITY),
    files: Math.min(pick('files'), rules.maxFiles ?? Number.POSITIVE_INFINITY),
    fields: pick('fields'),
    fieldSize: pick('fieldSize'),
    fieldsTotalSize: pick('fieldsTotalSize'),
    parts: pick('parts'),
    headerPairs: pick('headerPairs'),
    idleTimeoutMs: pick('idleTimeoutMs'),
    minBytesPerSecond: pick('minBytesPerSecond'),
    rateWindowMs: pick('rateWindowMs'),
    maxDurationMs: pick('maxDurationMs'),
    concurrentUploads: pick('concurrentUploads'),
  };
}
