import type { Ref } from 'react';
import { composeHandlers, mergeRefs } from './compose';

/** Props a user passes to a prop getter: anything, plus a ref. */
export type UserProps<E extends HTMLElement> = { ref?: Ref<E> } & Record<string, unknown>;

/**
 * Our attributes, the user's props over them, each of our handlers composed after the
 * user's one of the same name, and the refs merged.
 */
export function mergeProps<E extends HTMLElement>(
  ours: { attributes: object; handlers: object; ref: (el: E | null) => void },
  user: UserProps<E> = {},
): Record<string, unknown> {
  const { ref: userRef, ...rest } = user;
  const props: Record<string, unknown> = { ...ours.attributes, ...rest };
  for (const [name, handler] of Object.entries(ours.handlers) as [string, unknown][]) {
    const theirs = rest[name];
    props[name] =
      typeof theirs === 'function'
        ? composeHandlers(theirs as (event: object) => void, handler as (event: object) => void)
        : handler;
  }
  props.ref = mergeRefs<E>(userRef, ours.ref);
  return props;
}
