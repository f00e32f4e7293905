import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { createUploader, fetchTransport, type Progress, type Transport } from '@updown/core';
import type { ReactNode } from 'react';
import { fetch as nodeFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileOf } from '../../../../test-support/files';
import { startUploadServer, type UploadServer } from '../../../../test-support/upload-server';
import { useUpload } from '../use-upload';
import { UploadMutationError } from './upload-mutation-error';
import { type UploadVariables, uploadMutationOptions } from './upload-mutation-options';

let server: UploadServer;
beforeAll(async () => {
  server = await startUploadServer();
});
afterAll(() => server.close());
afterEach(cleanup);

const transport = (path: string) =>
  fetchTransport({
    endpoint: `${server.origin}${path}`,
    fetch: nodeFetch as unknown as typeof fetch,
  });

let fileListFetches = 0;
let mutate: ((files: UploadVariables) => Promise<unknown>) | undefined;
const progressSeen: Progress[] = [];

function Files() {
  const files = useQuery({
    queryKey: ['files'],
    queryFn: async () => {
      fileListFetches++;
      return fileListFetches;
    },
  });
  return <p data-testid="fetches">{files.data ?? 0}</p>;
}

function Uploader({ path, shared }: { path: string; shared: boolean }) {
  const up = useUpload({ transport: transport(path), retry: false });
  const mutation = useMutation(
    uploadMutationOptions(
      shared
        ? {
            uploader: up.uploader,
            invalidateKeys: [['files']],
            onProgress: (p) => progressSeen.push(p),
          }
        : { options: { transport: transport(path), retry: false }, invalidateKeys: [['files']] },
    ),
  );
  mutate = mutation.mutateAsync;
  return (
    <div>
      <p data-testid="mutation">{mutation.status}</p>
      <p data-testid="rows">{up.items.map((i) => `${i.name}:${i.status}`).join(',')}</p>
    </div>
  );
}

function withClient(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('uploadMutationOptions', () => {
  it('uploads through a shared uploader, reports progress and invalidates the keys', async () => {
    fileListFetches = 0;
    render(
      withClient(
        <>
          <Files />
          <Uploader path="/upload" shared />
        </>,
      ),
    );
    await waitFor(() => expect(screen.getByTestId('fetches').textContent).toBe('1'));
    let items: unknown;
    await act(async () => {
      items = await mutate?.([fileOf('q1.txt', 100_000), fileOf('q2.txt', 10)]);
    });
    expect((items as { status: string }[]).map((i) => i.status)).toEqual(['success', 'success']);
    // The uploader tells its listeners at most once a frame: the last state comes soon after.
    await waitFor(() =>
      expect(screen.getByTestId('rows').textContent).toBe('q1.txt:success,q2.txt:success'),
    );
    await waitFor(() => expect(progressSeen.at(-1)).toMatchObject({ percent: 100 }));
    // Invalidated and refetched before the mutation resolved.
    await waitFor(() => expect(screen.getByTestId('fetches').textContent).toBe('2'));
    expect(screen.getByTestId('mutation').textContent).toBe('success');
  });

  it('rejects with the failed items, and makes its own uploader from options', async () => {
    fileListFetches = 0;
    render(
      withClient(
        <>
          <Files />
          <Uploader path="/flaky" shared={false} />
        </>,
      ),
    );
    let error: unknown;
    await act(async () => {
      await mutate?.([fileOf('bad.txt', 10)]).catch((e) => {
        error = e;
      });
    });
    expect(error).toBeInstanceOf(UploadMutationError);
    expect((error as UploadMutationError).failed.map((i) => i.error?.status)).toEqual([500]);
    await waitFor(() => expect(screen.getByTestId('mutation').textContent).toBe('error'));
    expect(screen.getByTestId('fetches').textContent).toBe('1');
  });

  it('tells the final 100% even when the settling notification is still pending', async () => {
    // A scheduler that never runs what it is given: listeners are never told by the store,
    // as when the call settles inside the uploader's notification frame.
    const frozen = { now: () => 0, schedule: () => () => {} };
    const instant: Transport = async (item, { onProgress }) => {
      onProgress(item.size, item.size);
      return { ok: true };
    };
    const uploader = createUploader({ transport: instant, retry: false }, { scheduler: frozen });
    const seen: Progress[] = [];
    const options = uploadMutationOptions({ uploader, onProgress: (p) => seen.push(p) });
    await options.mutationFn?.([fileOf('a.txt', 10), fileOf('b.txt', 30)], {
      client: new QueryClient(),
      meta: undefined,
    });
    expect(seen.at(-1)).toEqual({ loaded: 40, total: 40, percent: 100 });
    uploader.destroy();
  });

  it('rejects files the rules refuse without sending anything', async () => {
    const before = server.completed.length;
    const options = uploadMutationOptions({
      options: { transport: transport('/upload'), rules: { maxSize: 5 } },
    });
    const client = new QueryClient();
    const error = await options
      .mutationFn?.([fileOf('big.txt', 10), fileOf('ok.txt', 1)], {
        client,
        meta: undefined,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadMutationError);
    expect((error as UploadMutationError).rejected.map((r) => r.file.name)).toEqual(['big.txt']);
    expect(server.completed.length).toBe(before);
  });
});
