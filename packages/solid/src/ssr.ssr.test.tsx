import { isServer, renderToString } from 'solid-js/web';
import { describe, expect, it } from 'vitest';
import { useDownload } from './use-download';
import { useUpload } from './use-upload';

function App() {
  const up = useUpload({ endpoint: '/api/files/upload', rules: { accept: 'image/*' } });
  const dl = useDownload();
  return (
    <div {...up.getRootProps({ id: 'zone' })}>
      <input {...up.getInputProps()} />
      <p>{`${up.status} ${up.items.length} ${up.progress.percent}% ${dl.status}`}</p>
    </div>
  );
}

describe('server rendering (Solid)', () => {
  it('renders with solid-js/web renderToString, no DOM and no subscription', () => {
    expect(isServer).toBe(true);
    expect(typeof document).toBe('undefined');
    const html = renderToString(() => <App />);
    expect(html).toContain('role="button"');
    expect(html).toMatch(/tabindex="0"/i);
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept="image\/\*"/);
    expect(html).toContain('idle 0 0% idle');
  });
});
