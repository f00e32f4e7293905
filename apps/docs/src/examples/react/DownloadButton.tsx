import { useDownload } from '@updown/react';

export function DownloadButton({ id, name }: { id: string; name: string }) {
  const { download, cancel, status, progress, error } = useDownload();

  if (status === 'downloading') {
    return (
      <button type="button" onClick={cancel}>
        Cancel ({progress.percent === null ? '…' : `${Math.round(progress.percent)}%`})
      </button>
    );
  }
  return (
    <>
      <button type="button" onClick={() => download({ url: `/api/files/${id}`, filename: name })}>
        Download {name}
      </button>
      {error && <span role="alert">{error.message}</span>}
    </>
  );
}
