import { useUpload } from '@updown/react';
import { useState } from 'react';
import { avatarRules } from '../shared/rules';

interface Answer {
  files: { id: string; url: string }[];
}

export function AvatarUpload() {
  const [avatarUrl, setAvatarUrl] = useState<string>();
  const { getRootProps, getInputProps, isDragActive, items, rejected, retry, clear } =
    useUpload<Answer>({
      endpoint: '/api/avatars/upload',
      rules: avatarRules,
      multiple: false,
      autoUpload: true,
      onItemSuccess: (item) => setAvatarUrl(item.response?.files[0]?.url),
    });
  const item = items[0];
  // A new picture replaces the last one: ours adds it after this handler has cleared the
  // queue, so `maxFiles: 1` never refuses it. The stored avatar stays until the new one lands.
  const replace = () => clear();

  return (
    <div
      {...getRootProps({
        className: isDragActive ? 'avatar dragging' : 'avatar',
        onDrop: replace,
        onPaste: replace,
      })}
    >
      <input {...getInputProps({ onChange: replace })} />
      {avatarUrl && <img src={avatarUrl} alt="Your avatar" width={96} height={96} />}
      {item && item.status !== 'success' ? (
        <p>
          {item.name}: {item.status} {item.progress.percent}%
          {item.status === 'error' && (
            <button
              type="button"
              onClick={(event) => {
                event.stopPropagation(); // the root would open the dialog too
                retry(item.id);
              }}
            >
              Try again
            </button>
          )}
        </p>
      ) : (
        <p>
          {avatarUrl ? 'Drop another picture to replace it' : 'Drop a picture here'}, or press Enter
          to choose one
        </p>
      )}
      {rejected.map(({ file, errors }, index) => (
        // Rejections have no id, and one file may be refused twice: the position is the key
        // (the list only grows until the next clear).
        // biome-ignore lint/suspicious/noArrayIndexKey: append-only list, never reordered
        <p key={index} role="alert">
          {file.name}: {errors.map((e) => e.message).join(', ')}
        </p>
      ))}
    </div>
  );
}
