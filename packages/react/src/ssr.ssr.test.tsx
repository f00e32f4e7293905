import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useAnnouncement } from './use-announcement';
import { useDownload } from './use-download';
import { usePreview } from './use-preview';
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

function Extras() {
  const up = useUpload({ endpoint: '/api/files/upload' });
  const preview = usePreview(new Blob(['x'], { type: 'image/png' }));
  const text = useAnnouncement(up.uploader);
  return <p>{`preview:${preview === undefined} text:[${text}]`}</p>;
}

describe('server rendering', () => {
  it('renders previews and announcements empty, touching no DOM', () => {
    expect(renderToString(<Extras />)).toContain('preview:true text:[]');
  });

  it('renders without a DOM, with the idle state and the input attributes', () => {
    expect(typeof document).toBe('undefined');
    const html = renderToString(<App />);
    expect(html).toContain('role="button"');
    expect(html).toContain('tabindex="0"');
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept="image\/\*"/);
    expect(html).toContain('idle<!-- --> <!-- -->0<!-- --> <!-- -->0<!-- -->% <!-- -->idle');
  });
});
