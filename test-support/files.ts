/** A File of `size` bytes. */
export function fileOf(name: string, size: number, type = 'text/plain'): File {
  return new File([new Uint8Array(size).fill(97)], name, { type });
}

/** What a drop's `dataTransfer` shows: `types`, `items` (with `getAsFile`) and `files`. */
export function dataTransferOf(files: File[]) {
  return {
    types: ['Files'],
    files,
    items: files.map((file) => ({ kind: 'file', type: file.type, getAsFile: () => file })),
    dropEffect: 'none',
  };
}
