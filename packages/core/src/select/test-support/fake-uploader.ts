import type { DragState } from '../../upload/drag-state';
import type { UploadItem } from '../../upload/upload-item';
import type {
  AddResult,
  Uploader,
  UploaderOptions,
  UploaderState,
} from '../../upload/uploader-types';

export interface AddCall {
  files: File[];
  relativePaths: readonly (string | undefined)[] | undefined;
}

export interface FakeUploader extends Uploader {
  readonly adds: AddCall[];
  readonly dragStates: DragState[];
  /** Pretends the uploader holds this many queued items. */
  hold(count: number): void;
}

/** Records `add` and `setDragState`; everything else is inert. */
export function fakeUploader(initial: UploaderOptions = {}): FakeUploader {
  let options: UploaderOptions = { ...initial };
  let items: UploadItem[] = [];
  const adds: AddCall[] = [];
  const dragStates: DragState[] = [];
  const state = (): UploaderState => ({
    items,
    rejected: [],
    status: 'idle',
    progress: { loaded: 0, total: 0, percent: 0, bytesPerSecond: 0, etaSeconds: null },
    isDragActive: false,
    isDragAccept: false,
    isDragReject: false,
    isDragUnknown: false,
    ...dragStates.at(-1),
  });
  return {
    adds,
    dragStates,
    hold(count) {
      items = Array.from({ length: count }, (_, i) => ({
        id: `held-${i}`,
        file: new File([], `held-${i}`),
        name: `held-${i}`,
        size: 0,
        type: '',
        status: 'queued',
        progress: { loaded: 0, total: 0, percent: 0 },
        attempts: 0,
      }));
    },
    getState: state,
    subscribe: () => () => {},
    async add(files, addOptions): Promise<AddResult> {
      adds.push({ files: Array.from(files), relativePaths: addOptions?.relativePaths });
      return { accepted: [], rejected: [] };
    },
    upload: async () => [],
    cancel() {},
    pause() {},
    resume() {},
    retry() {},
    remove() {},
    clear() {},
    destroy() {},
    getOptions: () => options,
    setOptions(next) {
      options = { ...options, ...next };
    },
    setDragState(drag) {
      dragStates.push({ ...drag });
    },
  };
}
