import type { JSX } from 'solid-js';
import { forwardGetters } from './forward-getters';

/** `data-*` attributes, for object literals (JSX itself always allows them). */
type DataAttributes = { [key: `data-${string}`]: unknown };

/** Props a user passes to `getRootProps`: the element's attributes and handlers, a ref callback. */
export type UserProps<E extends HTMLElement> = Omit<JSX.HTMLAttributes<E>, 'ref'> &
  DataAttributes & { ref?: (element: E) => void };

/** Props a user passes to `getInputProps`. */
export type UserInputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'ref'> &
  DataAttributes & { ref?: (element: HTMLInputElement) => void };

/** What `getRootProps` returns, to spread on the drop zone element. */
export type RootProps<E extends HTMLElement> = JSX.HTMLAttributes<E> & DataAttributes;

/** What `getInputProps` returns, to spread on the `<input>`. */
export type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & DataAttributes;

type UserHandler = ((event: Event) => void) | [(data: unknown, event: Event) => void, unknown];

function callUserHandler(handler: UserHandler, event: Event): void {
  // Solid's bound form: `[handler, data]` calls `handler(data, event)`.
  if (Array.isArray(handler)) handler[0](handler[1], event);
  else handler(event);
}

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
  user: { ref?: (element: E) => void } = {},
): Record<string, unknown> {
  const { ref: userRef, ...rest } = user as { ref?: (element: E) => void } & Record<
    string,
    unknown
  >;
  const props: Record<string, unknown> = forwardGetters(
    {},
    ours.keys,
    ours.attributes as () => Record<string, unknown>,
  );
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
      typeof theirs === 'function' || Array.isArray(theirs)
        ? (event: Event) => {
            callUserHandler(theirs as UserHandler, event);
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
