// What every framework binding of the core (`@updown/react`, `@updown/solid`) shares: the
// options its upload hook takes and the commands it hands out, the download hook's shape and
// what its `download` does, the store shape its state hooks read, and the store and scheduler
// behind them. A binding adds only what its framework needs (prop getters with its event
// names, state in its reactive form).
export { INITIAL_DOWNLOADER_STATE } from '../download/download-machine';
export type { Scheduler } from '../shared/scheduler';
export { defaultScheduler } from '../shared/scheduler';
export { shallowEqual } from '../shared/shallow-equal';
export type { Store, StoreOptions } from '../shared/store';
export { createStore } from '../shared/store';
export type { DownloadBindingOptions, DownloadCommands } from './download-binding';
export { prepareDownload } from './download-binding';
export type { ReadableStore } from './readable-store';
export type { UploadBindingOptions, UploadCommands } from './upload-binding';
export { splitBindingOptions, uploadCommands } from './upload-binding';
