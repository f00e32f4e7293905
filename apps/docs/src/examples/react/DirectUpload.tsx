import { s3Transport } from '@updown/core';
import { useUpload } from '@updown/react';
import { rules } from '../shared/rules';

// Made once, outside the component: the transport remembers its uploads between renders.
const transport = s3Transport({ endpoint: '/api/files' });

export function DirectUpload() {
  const { getRootProps, getInputProps, items, pause, resume } = useUpload({ transport, rules });
  return (
    <div {...getRootProps({ className: 'dropzone' })}>
      <input {...getInputProps()} />
      <p>Drop files: they go straight to the bucket</p>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            {item.name}: {item.status} {item.progress.percent}%
            {item.status === 'uploading' && (
              <button type="button" onClick={() => pause(item.id)}>
                Pause
              </button>
            )}
            {item.status === 'paused' && (
              <button type="button" onClick={() => resume(item.id)}>
                Resume
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
