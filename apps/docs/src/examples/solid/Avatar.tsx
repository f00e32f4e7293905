import { useUpload } from '@updown/solid';
import { createSignal, For, Show } from 'solid-js';
import { avatarRules } from '../shared/rules';

interface Answer {
  files: { id: string; url: string }[];
}

export function AvatarUpload() {
  const [avatarUrl, setAvatarUrl] = createSignal<string>();
  const up = useUpload<Answer>({
    endpoint: '/api/avatars/upload',
    rules: avatarRules,
    multiple: false,
    autoUpload: true,
    onItemSuccess: (item) => setAvatarUrl(item.response?.files[0]?.url),
  });
  // A new picture replaces the last one: ours adds it after this handler has cleared the
  // queue, so `maxFiles: 1` never refuses it. The stored avatar stays until the new one lands.
  const replace = () => up.clear();
  const pending = () => up.items.find((item) => item.status !== 'success');

  return (
    <div
      {...up.getRootProps({ onDrop: replace, onPaste: replace })}
      classList={{ avatar: true, dragging: up.isDragActive }}
    >
      <input {...up.getInputProps({ onChange: replace })} />
      <Show when={avatarUrl()}>
        {(url) => <img src={url()} alt="Your avatar" width={96} height={96} />}
      </Show>
      <Show
        when={pending()}
        fallback={
          <p>
            {avatarUrl() ? 'Drop another picture to replace it' : 'Drop a picture here'}, or press
            Enter to choose one
          </p>
        }
      >
        {(item) => (
          <p>
            {item().name}: {item().status} {item().progress.percent}%
            <Show when={item().status === 'error'}>
              <button
                type="button"
                onClick={(event) => {
                  event.stopPropagation(); // the root would open the dialog too
                  up.retry(item().id);
                }}
              >
                Try again
              </button>
            </Show>
          </p>
        )}
      </Show>
      {/* <For> keys by the rejection object itself: the same file refused twice is two rows. */}
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
