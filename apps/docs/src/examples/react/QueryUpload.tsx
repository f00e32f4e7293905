import { useMutation, useQuery } from '@tanstack/react-query';
import { useUpload } from '@updown/react';
import { uploadMutationOptions } from '@updown/react/query';

interface StoredFile {
  id: string;
  name: string;
  url: string;
}

export function Attachments() {
  const files = useQuery({
    queryKey: ['files'],
    queryFn: async (): Promise<StoredFile[]> => (await fetch('/api/my-files')).json(),
  });
  // The hook's uploader shows the mutation's files as rows, with progress and cancel.
  const up = useUpload({ endpoint: '/api/files/upload', rules: { maxSize: 10 * 1024 * 1024 } });
  const mutation = useMutation(
    uploadMutationOptions({
      uploader: up.uploader,
      invalidateKeys: [['files']], // refetched once every file of a call succeeded
      onProgress: (progress) => console.log(`${progress.percent}%`),
    }),
  );

  return (
    <section>
      <input
        type="file"
        multiple
        aria-label="Attach files"
        onChange={(event) => mutation.mutate(event.currentTarget.files ?? [])}
      />
      {mutation.isPending && <progress max={100} value={up.progress.percent} />}
      {mutation.error && <p role="alert">{mutation.error.message}</p>}
      <ul>
        {files.data?.map((file) => (
          <li key={file.id}>
            <a href={file.url}>{file.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
