import type { ReadableStore } from '@updown/core';
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { isServer } from 'solid-js/web';
import { clonePlain } from './clone-plain';

/**
 * The source's state as a Solid store, kept in step with `reconcile` (arrays matched by
 * `id`), so a computation that reads one item's progress re-runs only when that item
 * changes. Unsubscribes with the owner's `onCleanup`; on the server it is a one-time
 * snapshot with no subscription.
 */
export function createStoreMirror<S extends object>(source: ReadableStore<S>): S {
  const [state, setState] = createStore<S>(clonePlain(source.getState()));
  if (isServer) return state;
  let last = source.getState();
  const unsubscribe = source.subscribe((next) => {
    if (next === last) return;
    last = next;
    setState(reconcile(clonePlain(next), { key: 'id' }));
  });
  // The state may have moved between the snapshot above and the subscription.
  const current = source.getState();
  if (current !== last) {
    last = current;
    setState(reconcile(clonePlain(current), { key: 'id' }));
  }
  onCleanup(unsubscribe);
  return state;
}
