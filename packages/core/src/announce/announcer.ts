import { type MessageDetails, type Messages, messageFor } from '../rules/messages';
import type { UploadStatus } from '../upload/upload-item';
import type { UploaderState } from '../upload/uploader-types';

/** What an announcement can tell; each is a code its `messages` may replace. */
export type AnnouncementCode = 'files-added' | 'files-rejected' | 'files-uploaded' | 'files-failed';

/** What is to be read out now, and a count that changes with every new announcement. */
export interface Announcement {
  /** The sentence for a live region; `''` before anything happened. */
  readonly text: string;
  /** Goes up by one per announcement, so the same text twice is still news. */
  readonly count: number;
}

export interface AnnouncerOptions {
  /**
   * Replacements for the English sentences, by `AnnouncementCode`. Details: `count` (how many
   * files), `name` (the file, when one), `reason` (why it was refused or failed, when one),
   * and `message`, the English sentence. Defaults to English.
   *
   * @example
   * createAnnouncer(uploader, { messages: { 'files-uploaded': '{count} envoyé(s)' } })
   */
  messages?: Messages;
}

/** The uploader, or anything that reads like one. */
export interface AnnouncerSource {
  getState(): Pick<UploaderState, 'items' | 'rejected'>;
  subscribe(listener: () => void): () => void;
}

export interface Announcer {
  getState(): Announcement;
  subscribe(listener: (announcement: Announcement) => void): () => void;
  /**
   * Makes `element` the live region (`role="status"`, `aria-live="polite"`,
   * `aria-atomic="true"`, unless it has its own) and writes each announcement into it.
   * Returns a function that stops.
   */
  attach(element: HTMLElement): () => void;
  /** Drops every listener and stops following the uploader. */
  destroy(): void;
}

interface Sentence {
  code: AnnouncementCode;
  names: string[];
  reasons: string[];
}

const ENGLISH: Record<AnnouncementCode, (one: string, count: number, reason?: string) => string> = {
  'files-added': (one, count) => (count === 1 ? `${one} added.` : `${count} files added.`),
  'files-rejected': (one, count, reason) =>
    count === 1 ? `${one} refused: ${reason}.` : `${count} files refused.`,
  'files-uploaded': (one, count) => (count === 1 ? `${one} uploaded.` : `${count} files uploaded.`),
  'files-failed': (one, count, reason) =>
    count === 1 ? `${one} failed: ${reason}.` : `${count} files failed.`,
};

function spoken({ code, names, reasons }: Sentence, messages: Messages | undefined): string {
  const name = names[0] ?? '';
  const reason = reasons[0]?.replace(/\.$/, '');
  const count = names.length;
  const details: MessageDetails = {
    message: ENGLISH[code](name, count, reason),
    count,
    ...(count === 1 ? { name } : {}),
    ...(count === 1 && reason !== undefined ? { reason } : {}),
  };
  return messageFor(messages, code, details);
}

/**
 * A live-region text for an uploader: what was added, refused, uploaded or failed since the
 * last change, as one sentence for screen readers ("photo.png uploaded.", "2 files
 * refused."). It follows the uploader while something listens to it (a subscriber, an
 * attached element), from the state it finds then. Framework-free; `useAnnouncement` in React and Solid reads it, and `attach`
 * writes it into an element of your own.
 *
 * @example
 * const announcer = createAnnouncer(uploader);
 * announcer.attach(document.querySelector('#upload-status'));
 */
export function createAnnouncer(
  source: AnnouncerSource,
  options: AnnouncerOptions = {},
): Announcer {
  let statuses = new Map<string, UploadStatus>();
  let items: unknown;
  let rejectedSeen = 0;
  let announcement: Announcement = { text: '', count: 0 };
  const listeners = new Set<(announcement: Announcement) => void>();

  function remember(state: ReturnType<AnnouncerSource['getState']>): void {
    items = state.items;
    rejectedSeen = state.rejected.length;
    statuses = new Map(state.items.map((item) => [item.id, item.status]));
  }

  function update(): void {
    const state = source.getState();
    const sentences: Sentence[] = [];
    const of = (code: AnnouncementCode): Sentence => {
      let sentence = sentences.find((s) => s.code === code);
      if (!sentence) {
        sentence = { code, names: [], reasons: [] };
        sentences.push(sentence);
      }
      return sentence;
    };
    if (state.items !== items) {
      const next = new Map<string, UploadStatus>();
      for (const item of state.items) {
        const before = statuses.get(item.id);
        next.set(item.id, item.status);
        if (before === item.status) continue;
        if (before === undefined) of('files-added').names.push(item.name);
        if (item.status === 'success') of('files-uploaded').names.push(item.name);
        if (item.status === 'error') {
          const failed = of('files-failed');
          failed.names.push(item.name);
          failed.reasons.push(item.error?.message ?? '');
        }
      }
      statuses = next;
      items = state.items;
    }
    // Rejections only grow until `clear()` empties them.
    if (state.rejected.length < rejectedSeen) rejectedSeen = 0;
    for (const rejection of state.rejected.slice(rejectedSeen)) {
      const refused = of('files-rejected');
      refused.names.push(rejection.file.name);
      refused.reasons.push(rejection.errors.map((e) => e.message).join(', '));
    }
    rejectedSeen = state.rejected.length;
    if (sentences.length === 0) return;
    // Sentences in a fixed order, whatever order the changes came in.
    const order = Object.keys(ENGLISH);
    sentences.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
    const text = sentences.map((s) => spoken(s, options.messages)).join(' ');
    // A live region reads a change of text: the same sentence again gets a no-break space.
    const fresh = text === announcement.text ? `${text}\u00a0` : text;
    announcement = { text: fresh, count: announcement.count + 1 };
    for (const listener of Array.from(listeners)) listener(announcement);
  }

  // The uploader is followed only while someone listens (a hook, an attached element), so
  // an announcer dropped without `destroy()` leaves nothing subscribed.
  let unsubscribe: (() => void) | undefined;
  function listen(listener: (announcement: Announcement) => void): () => void {
    listeners.add(listener);
    if (!unsubscribe) {
      remember(source.getState());
      unsubscribe = source.subscribe(update);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      unsubscribe?.();
      unsubscribe = undefined;
    };
  }

  return {
    getState: () => announcement,
    subscribe: listen,
    attach(element) {
      const defaults = { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' };
      for (const [name, value] of Object.entries(defaults)) {
        if (!element.hasAttribute(name)) element.setAttribute(name, value);
      }
      element.textContent = announcement.text;
      return listen((next) => {
        element.textContent = next.text;
      });
    },
    destroy() {
      unsubscribe?.();
      unsubscribe = undefined;
      listeners.clear();
    },
  };
}
