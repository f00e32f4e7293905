import { useEffect, useRef, useState } from 'react';

/**
 * One instance per component, made lazily and destroyed on unmount. StrictMode (and
 * `<Activity>`) run effect cleanups and then the effects again on the same instance, so
 * destruction waits a microtask: a re-mount in the same commit cancels it and keeps the
 * instance (and its items). If it was destroyed after all, a re-mount makes a new one.
 */
export function useOwned<T>(create: () => T, destroy: (instance: T) => void): T {
  const [instance, setInstance] = useState(create);
  const latest = useRef({ create, destroy });
  latest.current = { create, destroy };
  const life = useRef<{ instance: T; pending: boolean; destroyed: boolean } | null>(null);

  useEffect(() => {
    const current = life.current;
    if (current?.instance === instance && current.destroyed) {
      setInstance(latest.current.create);
      return;
    }
    const entry =
      current?.instance === instance ? current : { instance, pending: false, destroyed: false };
    entry.pending = false;
    life.current = entry;
    return () => {
      entry.pending = true;
      queueMicrotask(() => {
        if (!entry.pending) return;
        entry.destroyed = true;
        latest.current.destroy(entry.instance);
      });
    };
  }, [instance]);

  return instance;
}
