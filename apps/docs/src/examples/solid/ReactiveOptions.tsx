import { createDownload, createUpload } from '@updown/solid';
import { createSignal, For } from 'solid-js';

export function Uploads() {
  const [maxSize, setMaxSize] = createSignal(1024 * 1024);
  // Options may be an accessor: they follow the signals without losing items.
  const up = createUpload(() => ({ endpoint: '/api/files/upload', rules: { maxSize: maxSize() } }));
  const dl = createDownload();

  return (
    <section>
      <button type="button" onClick={() => setMaxSize((size) => size * 2)}>
        Allow bigger files
      </button>
      <div {...up.getRootProps()}>
        <input {...up.getInputProps()} />
        Drop files
      </div>
      <ul>
        <For each={up.items}>
          {(item) => (
            <li>
              {/* Only this text node updates as this item's bytes move. */}
              {item.name} {item.progress.percent}%
            </li>
          )}
        </For>
        {/* Files over the size of the moment, each with its reasons. */}
        <For each={up.rejected}>
          {(rejection) => (
            <li role="alert">
              {rejection.file.name}: {rejection.errors.map((e) => e.message).join(', ')}
            </li>
          )}
        </For>
      </ul>
      <button
        type="button"
        onClick={() => dl.download({ url: '/api/files/3f2a9c', filename: 'copy.pdf' })}
      >
        Download ({dl.status})
      </button>
    </section>
  );
}
