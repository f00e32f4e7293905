import { formatBytes, type UploaderState, type UploadItem, type UploadStatus } from '@updown/core';

export const STATUS_LABEL: Record<UploadStatus | 'rejected', string> = {
  queued: 'Ready',
  uploading: 'Uploading',
  paused: 'Paused',
  success: 'Uploaded',
  error: 'Failed',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};

/** The drop zone's `data-drag`: what the drag over it would do, or nothing when there is none. */
export function dragAttribute(
  state: Pick<UploaderState, 'isDragActive' | 'isDragAccept' | 'isDragReject'>,
): 'reject' | 'accept' | 'active' | undefined {
  if (state.isDragReject) return 'reject';
  if (state.isDragAccept) return 'accept';
  return state.isDragActive ? 'active' : undefined;
}

/** A row's small print: the error, the bytes sent while sending or paused, else the size. */
export function rowMeta(item: UploadItem): string {
  if (item.error) return item.error.message;
  const sent = `${formatBytes(item.progress.loaded)} of ${formatBytes(item.progress.total || item.size)}`;
  if (item.status === 'uploading') return sent;
  if (item.status === 'paused') return `${sent} sent`;
  return formatBytes(item.size);
}

/**
 * What a row's bar shows: the bytes sent, except for a file that failed or was cancelled,
 * whose bytes did not arrive (a full bar there would read as a success).
 */
export function rowPercent(item: UploadItem): number {
  return item.status === 'error' || item.status === 'cancelled' ? 0 : item.progress.percent;
}

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** The line beside the overall bar: speed and time left while sending, else what is there. */
export function progressLine(state: Pick<UploaderState, 'items' | 'progress' | 'status'>): string {
  const { progress, items, status } = state;
  const paused = items.filter((item) => item.status === 'paused').length;
  if (paused > 0 && !items.some((item) => item.status === 'uploading')) {
    return `${Math.floor(progress.percent)}% · ${paused} paused`;
  }
  if (status === 'uploading') {
    const eta = formatEta(progress.etaSeconds);
    return `${Math.floor(progress.percent)}% · ${formatBytes(progress.bytesPerSecond)}/s · ${eta} left`;
  }
  const queued = items.filter((item) => item.status === 'queued');
  if (queued.length > 0) {
    const bytes = queued.reduce((sum, item) => sum + item.size, 0);
    return `${queued.length} ready to upload · ${formatBytes(bytes)}`;
  }
  if (items.length === 0) return 'No files yet';
  const done = items.filter((item) => item.status === 'success').length;
  return `${done} of ${items.length} uploaded`;
}

/**
 * What the live region says. It changes only when the status, the counts or a quarter of
 * the progress changes, so a screen reader hears milestones, not every frame.
 */
export function announcement(
  state: Pick<UploaderState, 'items' | 'rejected' | 'progress' | 'status'>,
): string {
  const done = state.items.filter((item) => item.status === 'success').length;
  const failed = state.items.filter((item) => item.status === 'error').length;
  const parts: string[] = [];
  if (state.status === 'paused') {
    parts.push('Paused.');
  } else if (state.status === 'uploading') {
    parts.push(`Uploading, ${Math.floor(state.progress.percent / 25) * 25}% done.`);
  } else if (state.items.length > 0) {
    parts.push(
      `${state.items.length} file${state.items.length === 1 ? '' : 's'}, ${done} uploaded.`,
    );
  }
  if (failed > 0) parts.push(`${failed} failed.`);
  if (state.rejected.length > 0) parts.push(`${state.rejected.length} rejected.`);
  return parts.join(' ');
}

/** `report.pdf` becomes `report (from updown).pdf`: the uploaded file saved under a new name. */
export function renamedCopy(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0
    ? `${name.slice(0, dot)} (from updown)${name.slice(dot)}`
    : `${name} (from updown)`;
}

/**
 * The file's URL asking updown's server to save it under `name` (`?filename=`): a browser
 * ignores `<a download="name">` on a same-origin link when the answer names the file itself.
 */
export function savedAs(url: string, name: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}filename=${encodeURIComponent(name)}`;
}

/** The data behind the "Download report" button: made in the page, never on a server. */
export function uploadReport(state: Pick<UploaderState, 'items' | 'rejected'>) {
  return {
    madeBy: 'updown docs demo',
    files: state.items.map(({ name, size, type, status }) => ({ name, size, type, status })),
    rejected: state.rejected.map(({ file, errors }) => ({
      name: file.name,
      codes: errors.map((e) => e.code),
    })),
  };
}
