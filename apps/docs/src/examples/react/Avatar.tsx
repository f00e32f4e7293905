import { useUpload } from '@updown/react';

export function AvatarUpload() {
  const { getRootProps, getInputProps, isDragActive, items, rejected, upload } = useUpload({
    endpoint: '/api/files/upload',
    rules: { accept: 'image/*', maxSize: 5 * 1024 * 1024, maxFiles: 1 },
    multiple: false,
    autoUpload: true,
  });
  const item = items[0];

  return (
    <div {...getRootProps({ className: isDragActive ? 'avatar dragging' : 'avatar' })}>
      <input {...getInputProps()} />
      {item ? (
        <p>
          {item.name}: {item.status} {item.progress.percent}%
          {item.status === 'error' && (
            <button type="button" onClick={() => upload(item.id)}>
              Try again
            </button>
          )}
        </p>
      ) : (
        <p>Drop a picture here, or press Enter to choose one</p>
      )}
      {rejected.map(({ file, errors }) => (
        <p key={file.name} role="alert">
          {file.name}: {errors.map((e) => e.message).join(', ')}
        </p>
      ))}
    </div>
  );
}
