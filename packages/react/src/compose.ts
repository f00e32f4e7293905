import type { Ref, RefCallback } from 'react';

interface StoppableEvent {
  isPropagationStopped?: () => boolean;
  cancelBubble?: boolean;
}

/** react-dropzone's rule: a handler that stopped propagation ends the chain. */
function isPropagationStopped(event: StoppableEvent): boolean {
  if (typeof event.isPropagationStopped === 'function') return event.isPropagationStopped();
  return event.cancelBubble === true;
}

/**
 * Runs the handlers in order, the user's first. When one calls `event.stopPropagation()`,
 * the ones after it (ours) are skipped, as in react-dropzone; `preventDefault()` does not
 * stop the chain, because our own drag handlers must call it to allow the drop.
 */
export function composeHandlers<E extends object>(
  ...handlers: ((event: E) => void)[]
): (event: E) => void {
  return (event) => {
    for (const handler of handlers) {
      if (isPropagationStopped(event as StoppableEvent)) return;
      handler(event);
    }
  };
}

/** One ref callback that feeds every given ref (callback or object), for React 18 and 19. */
export function mergeRefs<T>(...refs: (Ref<T> | undefined)[]): RefCallback<T> {
  return (node) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node);
      else if (ref) (ref as { current: T | null }).current = node;
    }
  };
}
