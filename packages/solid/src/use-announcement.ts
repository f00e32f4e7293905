import { type AnnouncerOptions, type AnnouncerSource, createAnnouncer } from '@updown/core';
import { type Accessor, createSignal, onCleanup } from 'solid-js';

/**
 * The live-region text of an uploader (`useUpload().uploader`): what was added, refused,
 * uploaded or failed, as one sentence, computed by the core's `createAnnouncer`. Put it in an
 * element with `role="status"`. Unsubscribed with the owner.
 *
 * @example
 * ```tsx
 * const up = useUpload({ endpoint: '/api/files/upload' });
 * const announcement = useAnnouncement(up.uploader);
 * return <p role="status" class="sr-only">{announcement()}</p>;
 * ```
 */
export function useAnnouncement(
  uploader: AnnouncerSource,
  options: AnnouncerOptions = {},
): Accessor<string> {
  const announcer = createAnnouncer(uploader, options);
  const [text, setText] = createSignal(announcer.getState().text);
  onCleanup(announcer.subscribe((announcement) => setText(announcement.text)));
  return text;
}
