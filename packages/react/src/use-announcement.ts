import { type AnnouncerOptions, type AnnouncerSource, createAnnouncer } from '@updown/core';
import { useMemo, useRef, useSyncExternalStore } from 'react';

/**
 * The live-region text of an uploader (`useUpload().uploader`): what was added, refused,
 * uploaded or failed, as one sentence, computed by the core's `createAnnouncer`. Put it in an
 * element with `role="status"`; `''` on the server and before anything happened.
 *
 * @example
 * ```tsx
 * const up = useUpload({ endpoint: '/api/files/upload' });
 * const announcement = useAnnouncement(up.uploader);
 * return <p role="status" className="sr-only">{announcement}</p>;
 * ```
 */
export function useAnnouncement(uploader: AnnouncerSource, options: AnnouncerOptions = {}): string {
  const latest = useRef(options);
  latest.current = options;
  // It follows the uploader only while subscribed, so nothing is left to destroy.
  const announcer = useMemo(
    () =>
      createAnnouncer(uploader, {
        get messages() {
          return latest.current.messages;
        },
      }),
    [uploader],
  );
  return useSyncExternalStore(
    announcer.subscribe,
    () => announcer.getState().text,
    () => '',
  );
}
