import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fetchTransport, type Uploader } from '@updown/core';
import { StrictMode, useRef } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataTransferOf, fileOf } from '../../../test-support/files';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';
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

function Uploads(props: UseUploadOptions & { onUploader?: (u: Uploader) => void }) {
  const { onUploader, ...options } = props;
  const up = useUpload(options);
  onUploader?.(up.uploader);
  return (
    <div {...up.getRootProps({ 'data-testid': 'zone' })}>
      <input {...up.getInputProps({ 'data-testid': 'input' })} />
      <p data-testid="drag">{up.isDragActive ? (up.isDragReject ? 'reject' : 'active') : 'idle'}</p>
      <p data-testid="status">{up.status}</p>
      <ul>
        {up.items.map((item) => (
          <li key={item.id} data-testid="row">
            <span>{`${item.name}:${item.status}:${item.progress.percent}`}</span>
            <button type="button" onClick={() => up.cancel(item.id)}>
              cancel {item.name}
            </button>
            <button type="button" onClick={() => up.retry(item.id)}>
              retry {item.name}
            </button>
          </li>
        ))}
      </ul>
      <ul>
        {up.rejected.map((r) => (
          <li key={r.file.name} data-testid="rejected">
            {r.file.name}: {r.errors.map((e) => e.code).join(',')}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void up.upload()}>
        upload
      </button>
    </div>
  );
}

const calls: string[] = [];
const zoneState = { stop: false };

function Zone() {
  const ref = useRef<HTMLDivElement>(null);
  const up = useUpload({ transport: transport('/upload') });
  return (
    <div
      {...up.getRootProps({
        ref,
        'data-testid': 'zone',
        onKeyDown: (event) => {
          calls.push(`user:${ref.current?.dataset.testid}`);
          if (zoneState.stop) event.stopPropagation();
        },
      })}
    >
      <input {...up.getInputProps({ 'data-testid': 'input' })} />
    </div>
  );
}

const rows = () => screen.queryAllByTestId('row').map((row) => row.firstChild?.textContent ?? '');

describe('useUpload', () => {
  it('adds files chosen through the input', async () => {
    render(<Uploads transport={transport('/upload')} />);
    const input = screen.getByTestId('input') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    fireEvent.change(input, { target: { files: [fileOf('a.txt', 10), fileOf('b.txt', 20)] } });
    await waitFor(() => expect(rows()).toEqual(['a.txt:queued:0', 'b.txt:queued:0']));
  });

  it('adds dropped files and shows the drag state', async () => {
    render(<Uploads transport={transport('/upload')} rules={{ accept: 'text/*' }} />);
    const zone = screen.getByTestId('zone');
    const files = [fileOf('a.txt', 10), fileOf('b.txt', 20)];
    fireEvent.dragEnter(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() => expect(screen.getByTestId('drag').textContent).toBe('active'));
    fireEvent.drop(zone, { dataTransfer: dataTransferOf(files) });
    await waitFor(() => expect(rows()).toEqual(['a.txt:queued:0', 'b.txt:queued:0']));
    expect(screen.getByTestId('drag').textContent).toBe('idle');
  });

  it('shows rejected files with their reasons', async () => {
    render(
      <Uploads transport={transport('/upload')} rules={{ accept: 'image/*', maxSize: 100 }} />,
    );
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
    render(<Uploads transport={transport('/upload')} />);
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
    const seen: number[] = [];
    render(
      <Uploads
        transport={transport('/upload')}
        autoUpload
        onItemSuccess={(i) => seen.push(i.progress.percent)}
      />,
    );
    const before = server.completed.length;
    fireEvent.change(screen.getByTestId('input'), {
      target: { files: [fileOf('one.bin', 300_000), fileOf('two.bin', 5)] },
    });
    await waitFor(() => expect(rows()).toEqual(['one.bin:success:100', 'two.bin:success:100']));
    expect(screen.getByTestId('status').textContent).toBe('done');
    expect(server.completed.length - before).toBe(2);
    expect(seen).toEqual([100, 100]);
  });

  it('cancels an upload: the request is aborted and the row says cancelled', async () => {
    render(<Uploads transport={transport('/hold')} />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('c.txt', 10)] } });
    await waitFor(() => expect(rows()).toEqual(['c.txt:queued:0']));
    const aborted = server.aborted.length;
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^c\.txt:uploading/));
    // Wait until the server holds the request before cancelling.
    await new Promise((r) => setTimeout(r, 100));
    fireEvent.click(screen.getByText('cancel c.txt'));
    await waitFor(() => expect(rows()[0]).toMatch(/^c\.txt:cancelled/));
    await server.waitFor(() => server.aborted.length > aborted);
  });

  it('retries a failed upload', async () => {
    render(<Uploads transport={transport('/flaky')} retry={false} />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('r.txt', 10)] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^r\.txt:error/));
    expect(screen.getByTestId('status').textContent).toBe('error');
    fireEvent.click(screen.getByText('retry r.txt'));
    await waitFor(() => expect(rows()).toEqual(['r.txt:success:100']));
  });

  it('aborts the request when the component unmounts mid-upload', async () => {
    let uploader: Uploader | undefined;
    const view = render(
      <Uploads transport={transport('/hold')} onUploader={(u) => (uploader = u)} />,
    );
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('u.txt', 10)] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    const aborted = server.aborted.length;
    fireEvent.click(screen.getByText('upload'));
    await waitFor(() => expect(rows()[0]).toMatch(/^u\.txt:uploading/));
    await new Promise((r) => setTimeout(r, 100));
    view.unmount();
    await server.waitFor(() => server.aborted.length > aborted);
    // Destroyed: nothing more happens on it.
    const late = await uploader?.add([fileOf('late.txt', 1)]);
    expect(late?.accepted).toHaveLength(0);
  });

  it('keeps one uploader through StrictMode double effects, and it still works', async () => {
    const seen = new Set<Uploader>();
    render(
      <StrictMode>
        <Uploads transport={transport('/upload')} autoUpload onUploader={(u) => seen.add(u)} />
      </StrictMode>,
    );
    // Let a deferred destroy (if any) run.
    await act(() => new Promise((r) => setTimeout(r, 20)));
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('s.txt', 10)] } });
    await waitFor(() => expect(rows()).toEqual(['s.txt:success:100']));
    // StrictMode may call the initializer twice and keep one; what rendered is one instance.
    const rendered = [...seen].filter((u) => u.getState().items.length > 0);
    expect(rendered).toHaveLength(1);
  });

  it('keeps items when options change between renders', async () => {
    const view = render(<Uploads transport={transport('/upload')} rules={{ accept: 'text/*' }} />);
    fireEvent.change(screen.getByTestId('input'), { target: { files: [fileOf('k.txt', 10)] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    view.rerender(
      <Uploads transport={transport('/upload')} rules={{ accept: 'image/*' }} disabled />,
    );
    expect(rows()).toEqual(['k.txt:queued:0']);
    await waitFor(() =>
      expect((screen.getByTestId('input') as HTMLInputElement).accept).toBe('image/*'),
    );
    expect(screen.getByTestId('zone').getAttribute('aria-disabled')).toBe('true');
  });

  it('composes user handlers (theirs first; stopPropagation skips ours) and merges refs', () => {
    calls.length = 0;
    render(<Zone />);
    const input = screen.getByTestId('input') as HTMLInputElement;
    vi.spyOn(input, 'click').mockImplementation(() => calls.push('open'));
    fireEvent.keyDown(screen.getByTestId('zone'), { key: 'Enter' });
    zoneState.stop = true;
    fireEvent.keyDown(screen.getByTestId('zone'), { key: 'Enter' });
    expect(calls).toEqual(['user:zone', 'open', 'user:zone']);
  });
});
