import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import type { Transport } from '@updown/core';
import { afterEach, expect, it } from 'vitest';
import { useAnnouncement } from './use-announcement';
import { useUpload } from './use-upload';

afterEach(cleanup);

const instant: Transport = async () => ({});

it('renders what the uploader did, and stops with its owner', async () => {
  let add!: (files: File[]) => Promise<unknown>;
  let subscribed = 0;
  function Status() {
    const up = useUpload({ transport: instant, autoUpload: true, rules: { maxSize: 10 } });
    const source = {
      getState: () => up.uploader.getState(),
      subscribe(listener: () => void) {
        subscribed += 1;
        const stop = up.uploader.subscribe(listener);
        return () => {
          subscribed -= 1;
          stop();
        };
      },
    };
    const text = useAnnouncement(source, { messages: { 'files-rejected': '{name} refusé' } });
    add = up.add;
    return <p role="status">{text()}</p>;
  }
  const { unmount } = render(() => <Status />);
  expect(screen.getByRole('status').textContent).toBe('');
  await add([new File(['hi'], 'a.txt'), new File(['far too long'], 'big.txt')]);
  await waitFor(() =>
    expect(screen.getByRole('status').textContent).toBe(
      'a.txt added. big.txt refusé a.txt uploaded.',
    ),
  );
  expect(subscribed).toBe(1);
  unmount();
  expect(subscribed).toBe(0);
});
