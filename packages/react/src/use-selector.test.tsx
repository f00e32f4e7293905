import { act, render } from '@testing-library/react';
import { createUploader, type Transport, type TransportContext, type Uploader } from '@updown/core';
import { type ReadableStore, shallowEqual } from '@updown/core/bindings';
import { memo } from 'react';
import { describe, expect, it } from 'vitest';
import { useSelector } from './use-selector';

/** A transport the test drives by hand: progress and completion when the test says. */
function manualTransport() {
  const running = new Map<string, TransportContext & { resolve(value: unknown): void }>();
  const transport: Transport = (item, context) =>
    new Promise((resolve, reject) => {
      running.set(item.id, { ...context, resolve });
      context.signal.addEventListener('abort', () =>
        reject(new DOMException('aborted', 'AbortError')),
      );
    });
  return { transport, running };
}

const renders = new Map<string, number>();
let listRenders = 0;

const Row = memo(function Row({ uploader, id }: { uploader: Uploader; id: string }) {
  const item = useSelector(uploader, (s) => s.items.find((i) => i.id === id));
  renders.set(id, (renders.get(id) ?? 0) + 1);
  return (
    <li data-testid={id}>
      <span>{`${item?.name} ${item?.status} ${item?.progress.percent}`}</span>
    </li>
  );
});

function List({ uploader }: { uploader: Uploader }) {
  const ids = useSelector(uploader, (s) => s.items.map((i) => i.id), { equal: shallowEqual });
  listRenders++;
  return (
    <ul>
      {ids.map((id) => (
        <Row key={id} uploader={uploader} id={id} />
      ))}
    </ul>
  );
}

interface Counter {
  count: number;
}

function Count({ source }: { source: ReadableStore<Counter> }) {
  const count = useSelector(source, (s) => s.count);
  return <span>{count}</span>;
}

/** A source whose states the test replaces by hand. */
function counterSource(count: number) {
  let state: Counter = { count };
  const listeners = new Set<(s: Counter) => void>();
  return {
    getState: () => state,
    subscribe: (fn: (s: Counter) => void) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    set(next: Counter) {
      state = next;
      for (const fn of listeners) fn(state);
    },
  };
}

const wholes: Counter[] = [];
function Whole({ source }: { source: ReadableStore<Counter> }) {
  const state = useSelector(source);
  wholes.push(state);
  return <span>{state.count}</span>;
}

const parities: { odd: boolean }[] = [];
function Parity({ source }: { source: ReadableStore<Counter> }) {
  const parity = useSelector(source, (s) => ({ odd: s.count % 2 === 1 }), {
    equal: (a, b) => a.odd === b.odd,
  });
  parities.push(parity);
  return <span>{String(parity.odd)}</span>;
}

describe('useSelector', () => {
  it('re-renders only the row whose item changed, among 1,000', async () => {
    const { transport, running } = manualTransport();
    const uploader = createUploader({ transport, notifyIntervalMs: 0 });
    const files = Array.from({ length: 1000 }, (_, i) => new File(['x'.repeat(100)], `f${i}.txt`));
    await uploader.add(files);

    const view = render(<List uploader={uploader} />);
    expect(view.container.querySelectorAll('li')).toHaveLength(1000);
    renders.clear();
    listRenders = 0;

    const target = uploader.getState().items[500]!.id;
    act(() => {
      void uploader.upload(target);
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
      running.get(target)!.onProgress(50, 100);
      await new Promise((r) => setTimeout(r, 10));
    });

    expect(view.getByTestId(target).textContent).toContain('uploading 50');
    expect(listRenders).toBe(0);
    expect([...renders.keys()]).toEqual([target]);

    await act(async () => {
      running.get(target)!.onProgress(100, 100);
      running.get(target)!.resolve({ ok: true });
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(view.getByTestId(target).textContent).toContain('success 100');
    expect([...renders.keys()]).toEqual([target]);
    view.unmount();
    uploader.destroy();
  });

  it('reads any structural { getState, subscribe } source', () => {
    let state = { count: 1 };
    const listeners = new Set<(s: typeof state) => void>();
    const source = {
      getState: () => state,
      subscribe: (fn: (s: typeof state) => void) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
    const view = render(<Count source={source} />);
    expect(view.container.textContent).toBe('1');
    act(() => {
      state = { count: 2 };
      for (const fn of listeners) fn(state);
    });
    expect(view.container.textContent).toBe('2');
    view.unmount();
    expect(listeners.size).toBe(0);
  });

  it('without a selector, gives the whole state: a render for each new state, none for the same', () => {
    const source = counterSource(1);
    wholes.length = 0;
    const view = render(<Whole source={source} />);
    const first = source.getState();
    act(() => source.set(first));
    act(() => source.set({ count: 2 }));
    expect(view.container.textContent).toBe('2');
    expect(wholes.at(-1)).toBe(source.getState());
    expect(new Set(wholes)).toEqual(new Set([first, source.getState()]));
    view.unmount();
  });

  it('keeps the selection `equal` calls the same, through a new selector on each render', () => {
    const source = counterSource(1);
    parities.length = 0;
    const view = render(<Parity source={source} />);
    const odd = parities[0];
    view.rerender(<Parity source={source} />);
    act(() => source.set({ count: 3 }));
    expect(parities.every((p) => p === odd)).toBe(true);
    const rendersBefore = parities.length;
    act(() => source.set({ count: 5 }));
    expect(parities.length).toBe(rendersBefore);
    act(() => source.set({ count: 4 }));
    expect(view.container.textContent).toBe('false');
    expect(parities.at(-1)).not.toBe(odd);
    view.unmount();
  });
});
