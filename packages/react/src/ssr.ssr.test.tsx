import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useDownload } from './use-download';
import { useUpload } from './use-upload';

function App() {
  const up = useUpload({ endpoint: '/api/files/upload', rules: { accept: 'image/*' } });
  const dl = useDownload();
  return (
    <div {...up.getRootProps({ id: 'zone' })}>
      <input {...up.getInputProps()} />
      <p>
        {up.status} {up.items.length} {up.progress.percent}% {dl.status}
      </p>
    </div>
  );
}

describe('server rendering', () => {
  it('renders without a DOM, with the idle state and the input attributes', () => {
    expect(typeof document).toBe('undefined');
    const html = renderToString(<App />);
    expect(html).toContain('role="button"');
    expect(html).toContain('tabindex="0"');
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept="image\/\*"/);
    expect(html).toContain('idle<!-- --> <!-- -->0<!-- --> <!-- -->0<!-- -->% <!-- -->idle');
  });
});
