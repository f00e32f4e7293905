import type { HTMLAttributes, InputHTMLAttributes, Ref, RefCallback } from 'react';
import { composeHandlers, mergeRefs } from './compose';

/** `data-*` attributes, which React's attribute types leave out. */
type DataAttributes = { [key: `data-${string}`]: unknown };

/** Props a user passes to `getRootProps`: the element's attributes and handlers, and a ref. */
export type UserProps<E extends HTMLElement> = HTMLAttributes<E> &
  DataAttributes & { ref?: Ref<E> };

/** Props a user passes to `getInputProps`. */
export type UserInputProps = InputHTMLAttributes<HTMLInputElement> &
  DataAttributes & { ref?: Ref<HTMLInputElement> };

/** What `getRootProps` returns, to spread on the drop zone element. */
export type RootProps<E extends HTMLElement> = HTMLAttributes<E> &
  DataAttributes & { ref: RefCallback<E> };

/** What `getInputProps` returns, to spread on the `<input>`. */
export type InputProps = InputHTMLAttributes<HTMLInputElement> &
  DataAttributes & { ref: RefCallback<HTMLInputElement> };

/**
 * Our attributes, the user's props over them, each of our handlers composed after the
 * user's one of the same name, and the refs merged.
 */
export function mergeProps<E extends HTMLElement>(
  ours: { attributes: object; handlers: object; ref: (el: E | null) => void },
  user: { ref?: Ref<E> } = {},
): { ref: RefCallback<E> } & Record<string, unknown> {
  const { ref: userRef, ...rest } = user as { ref?: Ref<E> } & Record<string, unknown>;
  const props: Record<string, unknown> = { ...ours.attributes, ...rest };
  for (const [name, handler] of Object.entries(ours.handlers) as [string, unknown][]) {
    const theirs = rest[name];
    props[name] =
      typeof theirs === 'function'
        ? composeHandlers(theirs as (event: object) => void, handler as (event: object) => void)
        : handler;
  }
  return Object.assign(props, { ref: mergeRefs<E>(userRef, ours.ref) });
}
