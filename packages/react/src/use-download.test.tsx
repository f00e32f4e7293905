import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { fetch as nodeFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';
import { type UseDownloadResult, useDownload } from './use-download';

let server: UploadServer;
beforeAll(async () => {
  server = await startUploadServer();
});
afterAll(() => server.close());
afterEach(cleanup);

let api: UseDownloadResult | undefined;
function Download() {
  const dl = useDownload({ save: false, fetch: nodeFetch as unknown as typeof fetch });
  api = dl;
  return (
    <p data-testid="dl">
      {`${dl.status}:${dl.progress.loaded}:${dl.progress.percent}:${dl.error?.code ?? ''}`}
    </p>
  );
}

describe('useDownload', () => {
  it('downloads from a real server with progress to 100%', async () => {
    render(<Download />);
    expect(screen.getByTestId('dl').textContent).toBe('idle:0:null:');
    let blob: Blob | undefined;
    await act(async () => {
      blob = await api?.download({ url: `${server.origin}/file?size=200000` });
    });
    expect(blob?.size).toBe(200_000);
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toBe('success:200000:100:'));
  });

  it('downloads data made on the spot', async () => {
    render(<Download />);
    let blob: Blob | undefined;
    await act(async () => {
      blob = await api?.download({ data: { rows: [1, 2] }, filename: 'rows' });
    });
    expect(blob?.type).toBe('application/json');
    expect(JSON.parse((await blob?.text()) ?? '')).toEqual({ rows: [1, 2] });
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toMatch(/^success:\d+:100:$/));
    expect(api?.downloader?.getState().filename).toBe('rows.json');
  });

  it('reports an HTTP error without throwing', async () => {
    render(<Download />);
    let result: Blob | undefined;
    await act(async () => {
      result = await api?.download({ url: `${server.origin}/missing` });
    });
    expect(result).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toMatch(/^error:0:/));
  });

  it('cancels a running download', async () => {
    render(<Download />);
    let pending: Promise<Blob | undefined> | undefined;
    act(() => {
      pending = api?.download({ url: `${server.origin}/file?size=50000000` });
    });
    act(() => api?.cancel());
    expect(await pending).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toMatch(/^cancelled:/));
  });
});
