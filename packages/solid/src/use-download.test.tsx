import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { fetch as nodeFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startUploadServer, type UploadServer } from '../../../test-support/upload-server';
import { createDownload, type UseDownloadResult, useDownload } from './use-download';

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
    <p data-testid="dl">{`${dl.status}:${dl.progress.loaded}:${dl.progress.percent}:${dl.error?.code ?? ''}`}</p>
  );
}

describe('useDownload (Solid)', () => {
  it('is also exported as createDownload', () => {
    expect(createDownload).toBe(useDownload);
  });

  it('downloads from a real server with progress to 100%', async () => {
    render(() => <Download />);
    expect(screen.getByTestId('dl').textContent).toBe('idle:0:null:');
    const blob = await api?.download({ url: `${server.origin}/file?size=200000` });
    expect(blob?.size).toBe(200_000);
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toBe('success:200000:100:'));
  });

  it('downloads data made on the spot', async () => {
    render(() => <Download />);
    const blob = await api?.download({ data: { rows: [1, 2] }, filename: 'rows' });
    expect(blob?.type).toBe('application/json');
    expect(JSON.parse((await blob?.text()) ?? '')).toEqual({ rows: [1, 2] });
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toMatch(/^success:\d+:100:$/));
  });

  it('reports an HTTP error without throwing', async () => {
    render(() => <Download />);
    expect(await api?.download({ url: `${server.origin}/missing` })).toBeUndefined();
    await waitFor(() =>
      expect(screen.getByTestId('dl').textContent).toMatch(/^error:0:.*:not-found$/),
    );
  });

  it('cancels a running download, and on dispose', async () => {
    const view = render(() => <Download />);
    const pending = api?.download({ url: `${server.origin}/file?size=50000000` });
    api?.cancel();
    expect(await pending).toBeUndefined();
    await waitFor(() => expect(screen.getByTestId('dl').textContent).toMatch(/^cancelled:/));
    const second = api?.download({ url: `${server.origin}/file?size=50000000` });
    view.unmount();
    expect(await second).toBeUndefined();
  });
});
