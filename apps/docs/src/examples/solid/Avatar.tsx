import { useUpload } from '@updown/solid';
import { For, Show } from 'solid-js';

export function AvatarUpload() {
  const up = useUpload({
    endpoint: '/api/files/upload',
    rules: { accept: 'image/*', maxSize: 5 * 1024 * 1024, maxFiles: 1 },
    multiple: false,
    autoUpload: true,
  });

  return (
    <div {...up.getRootProps()} classList={{ avatar: true, dragging: up.isDragActive }}>
      <input {...up.getInputProps()} />
      <Show when={up.items[0]} fallback={<p>Drop a picture here, or press Enter to choose one</p>}>
        {(item) => (
          <p>
            {item().name}: {item().status} {item().progress.percent}%
          </p>
        )}
      </Show>
      <For each={up.rejected}>
        {({ file, errors }) => (
          <p role="alert">
            {file.name}: {errors.map((e) => e.message).join(', ')}
          </p>
        )}
      </For>
    </div>
  );
}
