import type { ReadableStore } from '@updown/core/bindings';
import { createComputed, onCleanup, untrack } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { isServer } from 'solid-js/web';
import { access, type MaybeAccessor } from './access';
import { clonePlain, copyChanges } from './clone-plain';

/**
 * The source's state as a Solid store, kept in step with `reconcile` (arrays matched by
 * `id`), so a computation that reads one item's progress re-runs only when that item
 * changes. Only what changed since the last state is copied: parts the source kept (`===`)
 * stay the store's own, so an update costs the items that changed, not every item. The
 * source's states must therefore be immutable, as the core's are: a new state for each change.
 *
 * The source may be an accessor (a signal holding the current downloader, say): when it
 * gives another source, the store follows that one and lets the previous one go.
 * Unsubscribes with the owner's `onCleanup`; on the server it is a snapshot with no
 * subscription.
 */
export function createStoreMirror<S extends object>(source: MaybeAccessor<ReadableStore<S>>): S {
  let last = untrack(() => access(source)).getState();
  const [state, setState] = createStore<S>(clonePlain(last));
  const mirror = (next: S) => {
    if (next === last) return;
    // The store is read to reuse its parts: no computation this runs in may depend on it.
    const copy = untrack(() => copyChanges(next, last, state));
    last = next;
    setState(reconcile(copy, { key: 'id' }));
  };
  const follow = (from: ReadableStore<S>) => {
    mirror(from.getState());
    if (isServer) return;
    onCleanup(from.subscribe(mirror));
    // The state may have moved between the snapshot above and the subscription.
    mirror(from.getState());
  };
  if (typeof source === 'function') {
    createComputed(() => {
      const from = source();
      untrack(() => follow(from));
    });
  } else {
    follow(source);
  }
  return state;
}
