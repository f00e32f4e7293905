import { s3Transport } from '@updown/core';
import { useUpload } from '@updown/solid';
import { For, Show } from 'solid-js';
import { rules } from '../shared/rules';

export function DirectUpload() {
  const up = useUpload({ transport: s3Transport({ endpoint: '/api/files' }), rules });
  return (
    <div {...up.getRootProps()} class="dropzone">
      <input {...up.getInputProps()} />
      <p>Drop files: they go straight to the bucket</p>
      <ul>
        <For each={up.items}>
          {(item) => (
            <li>
              {item.name}: {item.status} {item.progress.percent}%
              <Show when={item.status === 'uploading'}>
                <button type="button" onClick={() => up.pause(item.id)}>
                  Pause
                </button>
              </Show>
              <Show when={item.status === 'paused'}>
                <button type="button" onClick={() => up.resume(item.id)}>
                  Resume
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
