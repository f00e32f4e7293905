import { act, cleanup, render, screen } from '@testing-library/react';
import type { Transport } from '@updown/core';
import { StrictMode, useState } from 'react';
import { afterEach, expect, it } from 'vitest';
import { useAnnouncement } from './use-announcement';
import { useUpload } from './use-upload';

afterEach(cleanup);

const instant: Transport = async () => ({});

function Status(props: {
  french?: boolean;
  onAdd: (add: (files: File[]) => Promise<unknown>) => void;
}) {
  const up = useUpload({ transport: instant, autoUpload: true, rules: { maxSize: 10 } });
  const text = useAnnouncement(up.uploader, {
    messages: props.french ? { 'files-uploaded': '{name} envoyé.' } : undefined,
  });
  props.onAdd(up.add);
  return <p role="status">{text}</p>;
}

let add!: (files: File[]) => Promise<unknown>;
let setFrench!: (on: boolean) => void;

function App() {
  const [french, set] = useState(false);
  setFrench = set;
  return (
    <StrictMode>
      <Status
        french={french}
        onAdd={(a) => {
          add = a;
        }}
      />
    </StrictMode>
  );
}

it('renders what the uploader did, in StrictMode, with messages kept current', async () => {
  render(<App />);
  expect(screen.getByRole('status').textContent).toBe('');
  await act(() => add([new File(['hi'], 'a.txt'), new File(['far too long'], 'big.txt')]));
  await act(() => new Promise((r) => setTimeout(r, 50)));
  expect(screen.getByRole('status').textContent).toBe(
    'a.txt added. big.txt refused: File is larger than 10 B. a.txt uploaded.',
  );
  act(() => setFrench(true));
  await act(() => add([new File(['yo'], 'b.txt')]));
  await act(() => new Promise((r) => setTimeout(r, 50)));
  expect(screen.getByRole('status').textContent).toBe('b.txt added. b.txt envoyé.');
});
