export { INITIAL_DOWNLOADER_STATE } from '../download/download-machine';
export type { Scheduler } from '../shared/scheduler';
export { defaultScheduler } from '../shared/scheduler';
export { shallowEqual } from '../shared/shallow-equal';
export type { Store, StoreOptions } from '../shared/store';
export { createStore } from '../shared/store';
export type {
  DownloadBindingOptions,
  DownloadCommands,
  ReadableStore,
  UploadBindingOptions,
  UploadCommands,
} from './framework-bindings';
export { prepareDownload, splitBindingOptions, uploadCommands } from './framework-bindings';
