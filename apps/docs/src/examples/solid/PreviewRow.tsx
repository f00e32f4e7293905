import type { UploadItem } from '@updown/core';
import { usePreview } from '@updown/solid';
import { Show } from 'solid-js';

export function Thumbnail(props: { item: UploadItem }) {
  const preview = usePreview(() => props.item, { maxSize: 96 });
  return (
    <Show when={preview()} fallback={<span class="thumbnail-placeholder" />}>
      {(p) => <img src={p().url} width={p().width} height={p().height} alt="" />}
    </Show>
  );
}
