/** Props a user passes to a prop getter: anything, plus a ref callback. */
export type UserProps<E extends HTMLElement> = { ref?: (element: E) => void } & Record<
  string,
  unknown
>;

interface StoppableEvent {
  cancelBubble?: boolean;
}

/**
 * Ours: attribute getters (so Solid's spread keeps them reactive), handlers and a ref.
 * The user's props come over our attributes; each of our handlers runs after the user's one
 * of the same name unless that one called `event.stopPropagation()` (react-dropzone's rule);
 * refs are both called.
 */
export function mergeProps<E extends HTMLElement>(
  ours: {
    attributes: () => object;
    keys: readonly string[];
    handlers: object;
    ref: (element: E | null) => void;
  },
  user: UserProps<E> = {},
): Record<string, unknown> {
  const { ref: userRef, ...rest } = user;
  const props: Record<string, unknown> = {};
  for (const key of ours.keys) {
    Object.defineProperty(props, key, {
      enumerable: true,
      get: () => (ours.attributes() as Record<string, unknown>)[key],
    });
  }
  for (const key of Object.keys(rest)) {
    const descriptor = Object.getOwnPropertyDescriptor(rest, key);
    if (descriptor)
      Object.defineProperty(props, key, { ...descriptor, enumerable: true, configurable: true });
  }
  for (const [name, handler] of Object.entries(ours.handlers) as [
    string,
    (event: Event) => void,
  ][]) {
    const theirs = rest[name];
    props[name] =
      typeof theirs === 'function'
        ? (event: Event) => {
            (theirs as (event: Event) => void)(event);
            if (!(event as StoppableEvent).cancelBubble) handler(event);
          }
        : handler;
  }
  props.ref = (element: E) => {
    userRef?.(element);
    ours.ref(element);
  };
  return props;
}
