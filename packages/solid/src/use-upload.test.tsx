import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import {
  createUploader,
  fetchTransport,
  type Transport,
  type TransportContext,
  type Uploader,
} from '@updown/core';
import { createEffect, createRoot, createSignal, For } from 'solid-js';
import { fetch as nodeFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataTransferOf, fileOf } from '../../../test-support/files';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';
import { createStoreMirror } from './create-store-mirror';
import { type UseUploadOptions, useUpload } from './use-upload';

let server: UploadServer;
beforeAll(async () => {
  server = await startUploadServer();
});
afterAll(() => server.close());
afterEach(cleanup);

/** Node's fetch, not the DOM environment's: the requests go to a real server. */
const transport = (path: string) =>
  fetchTransport({
    endpoint: `${server.origin}${path}`,
    fetch: nodeFetch as unknown as typeof fetch,
  });

let lastUploader: Uploader | undefined;

function Uploads(props: UseUploadOptions) {
  const up = useUpload(props);
  lastUploader = up.uploader;
  return (
    <div {...up.getRootProps({ 'data-testid': 'zone' })}>
      <input {...up.getInputProps({ 'data-testid': 'input' })} />
      <p data-testid="drag">{up.isDragActive ? (up.isDragReject ? 'reject' : 'active') : 'idle'}</p>
      <p data-testid="status">{up.status}</p>
      <ul>
        <For each={up.items}>
          {(item) => (
            <li data-testid="row">
              <span>{`${item.name}:${item.status}:${item.progress.percent}`}</span>
              <button type="button" onClick={() => up.cancel(item.id)}>
                cancel {item.name}
              </button>
              <button type="button" onClick={() => up.retry(item.id)}>
                retry {item.name}
              </button>
            </li>
          )}
        </For>
      </ul>
      <ul>
        <For each={up.rejected}>
          {(r) => (
            <li data-testid="rejected">
              {r.file.name}: {r.errors.map((e) => e.code).join(',')}
            </li>
          )}
        </For>
      </ul>
      <button type="button" onClick={() => void up.upload()}>
        upload
      </button>
    </div>
  );
}

const rows = () => screen.queryAllByTestId('row').map((row) => row.firstChild?.textContent ?? '');

describe('useUpload (Solid)', () => {
  it('adds files chosen through the input', async () => {
    render(() => <Uploads transport={transport('/upload')} />);
    const input = screen.getByTestId('input') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.style.display).toBe('none');
    fireEvent.change(input, { target: { files: [fileOf('a.txt', 10), fileOf('b.txt', 20)] } });
    await waitFor(() => expect(rows()).toEqual(['a.txt:queued:0', 'b.txt:queued:0']));
  });

  it('adds dropped files and shows the drag state', async () => {
    render(() => <Uploads transport={transport('/upload')} rules={{ accept: 'text/*' }} />);
    const zone = screen.getByTestId('zone');
    const files = [fileOf('a.txt', 10), fileOf('b.txt', 20)];
    fireEvent.dragEnter(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() => expect(screen.getByTestId('drag').textContent).toBe('active'));
    fireEvent.drop(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() => expect(rows()).toEqual(['a.txt:queued:0', 'b.txt:queued:0']));
    expect(screen.getByTestId('drag').textContent).toBe('idle');
  });

  it('shows rejected files with their reasons', async () => {
    render(() => (
      <Uploads transport={transport('/upload')} rules={{ accept: 'image/*', maxSize: 100 }} />
    ));
    const zone = screen.getByTestId('zone');
    const files = [
      fileOf('notes.txt', 10),
      fileOf('big.png', 1000, 'image/png'),
      fileOf('ok.png', 5, 'image/png'),
    ];
    fireEvent.dragEnter(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() => expect(screen.getByTestId('drag').textContent).toBe('reject'));
    fireEvent.drop(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() =>
      expect(screen.getAllByTestId('rejected').map((r) => r.textContent)).toEqual([
        'notes.txt: file-invalid-type',
        'big.png: file-too-large',
      ]),
    );
    expect(rows()).toEqual(['ok.png:queued:0']);
    expect((screen.getByTestId('input') as HTMLInputElement).accept).toBe('image/*');
  });

  it('opens the dialog with Enter and Space, and by click', () => {
    render(() => <Uploads transport={transport('/upload')} />);
    const zone = screen.getByTestId('zone');
    const input = screen.getByTestId('input') as HTMLInputElement;
    const click = vi.spyOn(input, 'click').mockImplementation(() => {});
    expect(zone.getAttribute('role')).toBe('button');
    expect(zone.tabIndex).toBe(0);
    fireEvent.keyDown(zone, { key: 'Enter' });
    fireEvent.keyDown(zone, { key: ' ' });
    fireEvent.keyDown(zone, { key: 'a' });
    expect(click).toHaveBeenCalledTimes(2);
    fireEvent.click(zone);
    expect(click).toHaveBeenCalledTimes(3);
  });

  it('uploads to a real server with progress to 100%', async () => {
    render(() => <Uploads transport={transport('/upload')} autoUpload />);
    const before = server.completed.length;
    fireEvent.change(screen.getByTestId('input'), {
      target: { files: [fileOf('one.bin', 300_000), fileOf('two.bin', 5)] },
    });
    await waitFor(() => expect(rows()).toEqual(['one.bin:success:100', 'two.bin:success:100']));
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(server.completed.length - before).toBe(2);
  });

  it('cancels an upload: the request is aborted and the row says cancelled', async () => {
    render(() => <Uploads transport={transport('/hold')} />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('c.txt', 10)] } });
    await waitFor(() => expect(rows()).toEqual(['c.txt:queued:0']));
    const aborted = server.aborted.length;
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^c\.txt:uploading/));
    await new Promise((r) => setTimeout(r, 100));
    fireEvent.click(screen.getByText('cancel c.txt'));
    await waitFor(() => expect(rows()[0]).toMatch(/^c\.txt:cancelled/));
    await server.waitFor(() => server.aborted.length > aborted);
  });

  it('retries a failed upload', async () => {
    render(() => <Uploads transport={transport('/flaky')} retry={false} />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('r.txt', 10)] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^r\.txt:error/));
    fireEvent.click(screen.getByText('retry r.txt'));
    await waitFor(() => expect(rows()).toEqual(['r.txt:success:100']));
  });

  it('aborts the request when the component is disposed mid-upload', async () => {
    const view = render(() => <Uploads transport={transport('/hold')} />);
    const uploader = lastUploader;
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('u.txt', 10)] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    const aborted = server.aborted.length;
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^u\.txt:uploading/));
    await new Promise((r) => setTimeout(r, 100));
    view.unmount();
    await server.waitFor(() => server.aborted.length > aborted);
    const late = await uploader?.add([fileOf('late.txt', 1)]);
    expect(late?.accepted).toHaveLength(0);
  });

  it('follows options given as an accessor without losing items', async () => {
    const { createSignal } = await import('solid-js');
    const [accept, setAccept] = createSignal('text/*');
    const [disabled, setDisabled] = createSignal(false);
    function Dynamic() {
      const up = useUpload(() => ({
        transport: transport('/upload'),
        rules: { accept: accept() },
        disabled: disabled(),
      }));
      return (
        <div {...up.getRootProps({ 'data-testid': 'zone' })}>
          <input {...up.getInputProps({ 'data-testid': 'input' })} />
          <p data-testid="count">{up.items.length}</p>
        </div>
      );
    }
    render(() => <Dynamic />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('k.txt', 10)] } });
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('1'));
    setAccept('image/*');
    setDisabled(true);
    expect((screen.getByTestId('input') as HTMLInputElement).accept).toBe('image/*');
    expect(screen.getByTestId('zone').getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByTestId('count').textContent).toBe('1');
  });

  it('composes user handlers (theirs first; stopPropagation skips ours) and calls their ref', () => {
    const calls: string[] = [];
    let stop = false;
    let element: HTMLElement | undefined;
    function Zone() {
      const up = useUpload({ transport: transport('/upload') });
      return (
        <div
          {...up.getRootProps({
            ref: (el) => {
              element = el;
            },
            'data-testid': 'zone',
            onKeyDown: (event) => {
              calls.push(`user:${element?.dataset.testid}`);
              if (stop) event.stopPropagation();
            },
          })}
        >
          <input {...up.getInputProps({ 'data-testid': 'input' })} />
        </div>
      );
    }
    render(() => <Zone />);
    const input = screen.getByTestId('input') as HTMLInputElement;
    vi.spyOn(input, 'click').mockImplementation(() => calls.push('open'));
    fireEvent.keyDown(screen.getByTestId('zone'), { key: 'Enter' });
    stop = true;
    fireEvent.keyDown(screen.getByTestId('zone'), { key: 'Enter' });
    expect(calls).toEqual(['user:zone', 'open', 'user:zone']);
  });

  it("lets the user's attributes win over ours, and still follows ours they leave", () => {
    const [disabled, setDisabled] = createSignal(false);
    function Region() {
      const up = useUpload(() => ({ transport: transport('/upload'), disabled: disabled() }));
      return (
        <div {...up.getRootProps({ 'data-testid': 'zone', role: undefined, tabIndex: -1 })}>
          <input {...up.getInputProps({ 'data-testid': 'input', accept: '.txt' })} />
        </div>
      );
    }
    render(() => <Region />);
    const zone = screen.getByTestId('zone');
    expect(zone.hasAttribute('role')).toBe(false);
    expect(zone.tabIndex).toBe(-1);
    expect((screen.getByTestId('input') as HTMLInputElement).accept).toBe('.txt');
    setDisabled(true);
    expect(zone.getAttribute('aria-disabled')).toBe('true');
    expect(zone.tabIndex).toBe(-1);
  });

  it('works in a bare createRoot, and disposing it destroys the uploader', async () => {
    await createRoot(async (dispose) => {
      const up = useUpload({ transport: transport('/upload') });
      await up.add([fileOf('root.txt', 3)]);
      await up.upload();
      await waitFor(() => expect(up.items.map((i) => i.status)).toEqual(['success']));
      dispose();
      expect((await up.add([fileOf('after.txt', 1)])).accepted).toHaveLength(0);
    });
  });
});

/** A transport the test drives by hand. */
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

describe('createStoreMirror', () => {
  it('re-runs only the computation reading the item that changed, among 1,000', async () => {
    const { transport: manual, running } = manualTransport();
    const uploader = createUploader({ transport: manual, notifyIntervalMs: 0 });
    await uploader.add(Array.from({ length: 1000 }, (_, i) => fileOf(`f${i}.txt`, 100)));
    const runs = new Map<number, number>();
    let listRuns = 0;
    const dispose = createRoot((dispose) => {
      const state = createStoreMirror(uploader);
      createEffect(() => {
        listRuns++;
        void state.items.length;
      });
      for (let i = 0; i < 1000; i++) {
        createEffect(() => {
          void state.items[i]?.progress.percent;
          void state.items[i]?.status;
          runs.set(i, (runs.get(i) ?? 0) + 1);
        });
      }
      return dispose;
    });
    await new Promise((r) => setTimeout(r, 10));
    runs.clear();
    listRuns = 0;
    const target = uploader.getState().items[500]!.id;
    void uploader.upload(target);
    await new Promise((r) => setTimeout(r, 10));
    running.get(target)!.onProgress(50, 100);
    await new Promise((r) => setTimeout(r, 10));
    expect([...runs.keys()]).toEqual([500]);
    expect(listRuns).toBe(0);
    expect(uploader.getState().items[500]!.progress.percent).toBe(50);
    // The core's snapshots are never written by the store.
    const snapshot = uploader.getState();
    running.get(target)!.onProgress(80, 100);
    await new Promise((r) => setTimeout(r, 10));
    expect(snapshot.items[500]!.progress.percent).toBe(50);
    dispose();
    uploader.destroy();
  });
});
