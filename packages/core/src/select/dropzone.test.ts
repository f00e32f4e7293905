// @vitest-environment happy-dom
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { extensionForMime } from '../shared/mime-extension';
import { createUploader } from '../upload/uploader';
import { createDropzone } from './dropzone';
import type { DropzoneEvent } from './dropzone-types';
import type { TransferItemLike, TransferLike } from './files-from-event';
import { fakeDirectoryEntry, fakeFileEntry, manyFiles } from './test-support/fake-entries';
import { fakeUploader } from './test-support/fake-uploader';

const ACTIVE_ACCEPT = {
  isDragActive: true,
  isDragAccept: true,
  isDragReject: false,
  isDragUnknown: false,
};
const ACTIVE_REJECT = {
  isDragActive: true,
  isDragAccept: false,
  isDragReject: true,
  isDragUnknown: false,
};
const ACTIVE_UNKNOWN = {
  isDragActive: true,
  isDragAccept: false,
  isDragReject: false,
  isDragUnknown: true,
};
const IDLE = {
  isDragActive: false,
  isDragAccept: false,
  isDragReject: false,
  isDragUnknown: false,
};

function item(file: File): TransferItemLike {
  return { kind: 'file', type: file.type, getAsFile: () => file, webkitGetAsEntry: () => null };
}

type Transfer = TransferLike & { dropEffect?: string };

function transfer(files: File[]): Transfer {
  return { types: ['Files'], items: files.map(item), files, dropEffect: 'move' };
}

interface FakeEvent extends DropzoneEvent {
  prevented: boolean;
  stopped: boolean;
}

function event(fields: Partial<DropzoneEvent> = {}): FakeEvent {
  const e: FakeEvent = {
    prevented: false,
    stopped: false,
    preventDefault() {
      e.prevented = true;
    },
    stopPropagation() {
      e.stopped = true;
    },
    ...fields,
  };
  return e;
}

function tree(): { root: HTMLDivElement; child: HTMLSpanElement; grandchild: HTMLElement } {
  const root = document.createElement('div');
  const child = document.createElement('span');
  const grandchild = document.createElement('b');
  child.append(grandchild);
  root.append(child);
  document.body.append(root);
  return { root, child, grandchild };
}

const png = (name = 'a.png', size = 3) => new File(['x'.repeat(size)], name, { type: 'image/png' });

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('drag state', () => {
  it('stays active while the drag moves between nested elements', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const { root, child, grandchild } = tree();
    dz.setRoot(root);
    const h = dz.rootHandlers;
    const data = transfer([png()]);

    const enter = event({ target: root, dataTransfer: data });
    h.onDragEnter(enter);
    expect(enter.prevented).toBe(true);
    h.onDragEnter(event({ target: child, dataTransfer: data }));
    h.onDragLeave(event({ target: root, dataTransfer: data }));
    h.onDragEnter(event({ target: grandchild, dataTransfer: data }));
    h.onDragLeave(event({ target: child, dataTransfer: data }));
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT]);

    h.onDragLeave(event({ target: grandchild, dataTransfer: data }));
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE]);
  });

  it('forgets a child removed during the drag, which never fires its leave', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const { root, child } = tree();
    dz.setRoot(root);
    const data = transfer([png()]);
    dz.rootHandlers.onDragEnter(event({ target: root, dataTransfer: data }));
    dz.rootHandlers.onDragEnter(event({ target: child, dataTransfer: data }));
    child.remove();
    dz.rootHandlers.onDragLeave(event({ target: root, dataTransfer: data }));
    expect(uploader.dragStates.at(-1)).toEqual(IDLE);
  });

  it('tells accept, reject and unknown from the dragged types and sets dropEffect', () => {
    const uploader = fakeUploader({ rules: { accept: 'image/*' } });
    const dz = createDropzone(uploader);
    const h = dz.rootHandlers;

    const good = transfer([png()]);
    h.onDragEnter(event({ target: 1, dataTransfer: good }));
    const over = event({ target: 1, dataTransfer: good });
    h.onDragOver(over);
    expect(over.prevented).toBe(true);
    expect(good.dropEffect).toBe('copy');
    h.onDragLeave(event({ target: 1, dataTransfer: good }));

    const bad = transfer([new File(['%PDF'], 'a.pdf', { type: 'application/pdf' })]);
    h.onDragEnter(event({ target: 1, dataTransfer: bad }));
    h.onDragOver(event({ target: 1, dataTransfer: bad }));
    expect(bad.dropEffect).toBe('copy');
    h.onDragLeave(event({ target: 1, dataTransfer: bad }));

    const untyped = transfer([new File(['?'], 'mystery')]);
    h.onDragEnter(event({ target: 1, dataTransfer: untyped }));
    h.onDragOver(event({ target: 1, dataTransfer: untyped }));
    expect(untyped.dropEffect).toBe('copy');

    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE, ACTIVE_REJECT, IDLE, ACTIVE_UNKNOWN]);
  });

  it('judges a drag by extension through the extensionForMime it is given', () => {
    const jpeg = () => transfer([new File(['x'], 'a.jpg', { type: 'image/jpeg' })]);
    const plain = fakeUploader({ rules: { accept: '.jpg' } });
    createDropzone(plain).rootHandlers.onDragEnter(event({ dataTransfer: jpeg() }));
    const known = fakeUploader({ rules: { accept: '.jpg' } });
    createDropzone(known, { extensionForMime }).rootHandlers.onDragEnter(
      event({ dataTransfer: jpeg() }),
    );
    expect(plain.dragStates).toEqual([ACTIVE_UNKNOWN]);
    expect(known.dragStates).toEqual([ACTIVE_ACCEPT]);
  });

  it('rejects a drag of more files than the uploader has room for', () => {
    const single = fakeUploader({ multiple: false });
    createDropzone(single).rootHandlers.onDragEnter(
      event({ dataTransfer: transfer([png(), png()]) }),
    );
    expect(single.dragStates).toEqual([ACTIVE_REJECT]);

    const limited = fakeUploader({ rules: { maxFiles: 3 } });
    limited.hold(2);
    createDropzone(limited).rootHandlers.onDragEnter(
      event({ dataTransfer: transfer([png(), png()]) }),
    );
    expect(limited.dragStates).toEqual([ACTIVE_REJECT]);
  });

  it('leaves text and link drags alone', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const text = { types: ['text/plain'], items: [{ kind: 'string', type: 'text/plain' }] };
    const enter = event({ dataTransfer: text });
    const over = event({ dataTransfer: text });
    dz.rootHandlers.onDragEnter(enter);
    dz.rootHandlers.onDragOver(over);
    expect(enter.prevented || over.prevented).toBe(false);
    expect(uploader.dragStates).toEqual([]);
  });

  it('starts the drag on dragover when dragenter was missed', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    dz.rootHandlers.onDragOver(event({ target: 1, dataTransfer: transfer([png()]) }));
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT]);
  });

  it('ends the drag when disabled mid-way, or destroyed', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: transfer([png()]) }));
    dz.update({ disabled: true });
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE]);
    dz.update({ disabled: false });
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: transfer([png()]) }));
    dz.destroy();
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE, ACTIVE_ACCEPT, IDLE]);
  });
});

describe('drop', () => {
  it('adds the dropped files and ends the drag', async () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const files = [png('one.png', 5), new File(['hello'], 'two.txt', { type: 'text/plain' })];
    const data = transfer(files);
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: data }));
    const drop = event({ target: 1, dataTransfer: data });
    dz.rootHandlers.onDrop(drop);
    expect(drop.prevented).toBe(true);
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE]);
    await vi.waitFor(() => expect(uploader.adds).toHaveLength(1));
    expect(uploader.adds[0]?.files).toEqual(files);
    expect(uploader.adds[0]?.relativePaths).toEqual([undefined, undefined]);

    // A new drag after the drop starts fresh.
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: data }));
    expect(uploader.dragStates.at(-1)).toEqual(ACTIVE_ACCEPT);
  });

  it('walks a dropped folder of 250 files', async () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const folder = fakeDirectoryEntry('photos', [fakeDirectoryEntry('2024', manyFiles(250))]);
    const data: Transfer = {
      types: ['Files'],
      items: [{ kind: 'file', type: '', getAsFile: () => null, webkitGetAsEntry: () => folder }],
    };
    dz.rootHandlers.onDrop(event({ dataTransfer: data }));
    await vi.waitFor(() => expect(uploader.adds).toHaveLength(1));
    expect(uploader.adds[0]?.files).toHaveLength(250);
    expect(uploader.adds[0]?.relativePaths?.[249]).toBe('photos/2024/f249.txt');
  });

  it('does nothing when disabled or noDrag', async () => {
    for (const options of [{ disabled: true }, { noDrag: true }]) {
      const uploader = fakeUploader();
      const dz = createDropzone(uploader, options);
      const data = transfer([png()]);
      const enter = event({ dataTransfer: data });
      dz.rootHandlers.onDragEnter(enter);
      const drop = event({ dataTransfer: data });
      dz.rootHandlers.onDrop(drop);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect([
        enter.prevented,
        drop.prevented,
        uploader.adds.length,
        uploader.dragStates.length,
      ]).toEqual([false, false, 0, 0]);
    }
  });
});

describe('paste', () => {
  it('adds pasted files', async () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader);
    const shot = png('image.png');
    const paste = event({
      clipboardData: { items: [{ kind: 'string', type: 'text/html' }, item(shot)] },
    });
    dz.rootHandlers.onPaste(paste);
    expect(paste.prevented).toBe(true);
    await vi.waitFor(() => expect(uploader.adds).toHaveLength(1));
    expect(uploader.adds[0]?.files).toEqual([shot]);
  });

  it('lets a text paste through, and ignores pastes when noPaste', async () => {
    const uploader = fakeUploader();
    const text = event({
      clipboardData: { items: [{ kind: 'string', type: 'text/plain' }], files: [] },
    });
    createDropzone(uploader).rootHandlers.onPaste(text);
    const off = event({ clipboardData: { items: [item(png())] } });
    createDropzone(uploader, { noPaste: true }).rootHandlers.onPaste(off);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([text.prevented, off.prevented, uploader.adds.length]).toEqual([false, false, 0]);
  });
});

describe('opening the dialog', () => {
  function withInput(options = {}) {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader, options);
    const { root, child } = tree();
    const input = document.createElement('input');
    input.type = 'file';
    const click = vi.spyOn(input, 'click').mockImplementation(() => {});
    dz.setRoot(root);
    dz.setInput(input);
    return { dz, root, child, click, uploader };
  }

  it('opens on click, Enter and Space', () => {
    const { dz, root, click } = withInput();
    dz.rootHandlers.onClick(event({ target: root, currentTarget: root }));
    const enter = event({ key: 'Enter', target: root, currentTarget: root });
    dz.rootHandlers.onKeyDown(enter);
    const space = event({ key: ' ', target: root, currentTarget: root });
    dz.rootHandlers.onKeyDown(space);
    dz.rootHandlers.onKeyDown(event({ key: 'a', target: root, currentTarget: root }));
    expect(click).toHaveBeenCalledTimes(3);
    expect(enter.prevented && space.prevented).toBe(true);
  });

  it('leaves Enter on a control inside the root to that control', () => {
    const { dz, root, child, click } = withInput();
    dz.rootHandlers.onKeyDown(event({ key: 'Enter', target: child, currentTarget: root }));
    expect(click).not.toHaveBeenCalled();
  });

  it('honours noClick, noKeyboard and disabled', () => {
    const noClick = withInput({ noClick: true });
    noClick.dz.rootHandlers.onClick(event());
    noClick.dz.rootHandlers.onKeyDown(event({ key: 'Enter' }));
    expect(noClick.click).toHaveBeenCalledTimes(1);

    const noKeyboard = withInput({ noKeyboard: true });
    noKeyboard.dz.rootHandlers.onKeyDown(event({ key: 'Enter' }));
    noKeyboard.dz.rootHandlers.onKeyDown(event({ key: ' ' }));
    noKeyboard.dz.rootHandlers.onClick(event());
    expect(noKeyboard.click).toHaveBeenCalledTimes(1);

    const disabled = withInput({ disabled: true });
    disabled.dz.rootHandlers.onClick(event());
    disabled.dz.rootHandlers.onKeyDown(event({ key: 'Enter' }));
    disabled.dz.open();
    expect(disabled.click).not.toHaveBeenCalled();
  });

  it('open() clicks the input at once, inside the caller’s gesture', () => {
    const { dz, click } = withInput({ noClick: true });
    dz.open();
    expect(click).toHaveBeenCalledTimes(1);
  });

  it('open() without an input uses a detached one that still reaches add()', async () => {
    const uploader = fakeUploader({ rules: { accept: 'image/*' } });
    const dz = createDropzone(uploader);
    let clicked: HTMLInputElement | undefined;
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
      this: HTMLInputElement,
    ) {
      clicked = this;
    });
    dz.open();
    expect(clicked?.type).toBe('file');
    expect(clicked?.accept).toBe('image/*');
    const file = png();
    Object.defineProperty(clicked, 'files', { value: [file], configurable: true });
    clicked?.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(uploader.adds).toHaveLength(1));
    expect(uploader.adds[0]?.files).toEqual([file]);
  });
});

describe('input', () => {
  it('adds the chosen files with their folder paths and resets the value', () => {
    const uploader = fakeUploader();
    const dz = createDropzone(uploader, { directory: true });
    const file = new File(['1'], 'a.txt');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'folder/sub/a.txt' });
    const target = { files: [file], value: 'C:\\fakepath\\a.txt' };
    dz.inputHandlers.onChange(event({ target }));
    expect(target.value).toBe('');
    expect(uploader.adds).toEqual([{ files: [file], relativePaths: ['folder/sub/a.txt'] }]);
  });

  it('keeps its click from reaching the root', () => {
    const click = event();
    createDropzone(fakeUploader()).inputHandlers.onClick(click);
    expect(click.stopped).toBe(true);
  });
});

describe('attributes', () => {
  it('describes the root and the input from the options and the uploader', () => {
    const uploader = fakeUploader({
      rules: { accept: { 'image/png': ['.png'] } },
      multiple: false,
    });
    const dz = createDropzone(uploader, { directory: true });
    expect(dz.getRootAttributes()).toEqual({ role: 'button', tabIndex: 0 });
    expect(dz.getInputAttributes()).toEqual({
      type: 'file',
      accept: 'image/png,.png',
      multiple: false,
      webkitdirectory: '',
      style: { display: 'none' },
      tabIndex: -1,
    });
    const props = dz.getRootProps();
    expect(props.onDrop).toBe(dz.rootHandlers.onDrop);
    expect(dz.getInputProps().onChange).toBe(dz.inputHandlers.onChange);

    dz.update({ disabled: true });
    expect(dz.getRootAttributes()).toEqual({ role: 'button', 'aria-disabled': true });
    expect(dz.getInputAttributes().disabled).toBe(true);
    dz.update({ disabled: false, noClick: true, noKeyboard: true });
    expect(dz.getRootAttributes()).toEqual({});
  });

  it('keeps the same objects until something changes', () => {
    const uploader = fakeUploader({ rules: { accept: 'image/*' } });
    const dz = createDropzone(uploader);
    const root = dz.getRootAttributes();
    const input = dz.getInputAttributes();
    expect(dz.getRootAttributes()).toBe(root);
    expect(dz.getInputAttributes()).toBe(input);
    uploader.setOptions({ rules: { accept: '.pdf' } });
    expect(dz.getInputAttributes()).not.toBe(input);
    expect(dz.getInputAttributes().accept).toBe('.pdf');
    dz.update({ noKeyboard: true });
    expect(dz.getRootAttributes()).not.toBe(root);
  });
});

describe('attach (vanilla DOM)', () => {
  function dragEvent(type: string, data: Transfer): Event {
    const e = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(e, 'dataTransfer', { value: data });
    return e;
  }

  it('binds the root, adds a hidden input, and undoes it all on detach', async () => {
    const uploader = fakeUploader({ rules: { accept: 'image/*' } });
    const dz = createDropzone(uploader);
    const { root, child } = tree();
    const detach = dz.attach(root);

    const input = root.querySelector('input');
    expect(input?.type).toBe('file');
    expect(input?.accept).toBe('image/*');
    expect(input?.style.display).toBe('none');
    expect(root.getAttribute('role')).toBe('button');
    expect(root.getAttribute('tabindex')).toBe('0');

    const clicks: unknown[] = [];
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
      this: HTMLInputElement,
    ) {
      clicks.push(this);
    });
    child.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    root.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }),
    );
    expect(clicks).toEqual([input, input]);

    const data = transfer([png('dropped.png', 7)]);
    root.dispatchEvent(dragEvent('dragenter', data));
    child.dispatchEvent(dragEvent('dragenter', data));
    root.dispatchEvent(dragEvent('dragleave', data));
    const over = dragEvent('dragover', data);
    child.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT]);
    const drop = dragEvent('drop', data);
    child.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    expect(uploader.dragStates).toEqual([ACTIVE_ACCEPT, IDLE]);
    await vi.waitFor(() => expect(uploader.adds).toHaveLength(1));
    expect(uploader.adds[0]?.files.map((f) => [f.name, f.size])).toEqual([['dropped.png', 7]]);

    const chosen = png('chosen.png');
    Object.defineProperty(input, 'files', { value: [chosen], configurable: true });
    input?.dispatchEvent(new Event('change', { bubbles: true }));
    expect(uploader.adds[1]?.files).toEqual([chosen]);

    dz.update({ disabled: true });
    expect(root.getAttribute('aria-disabled')).toBe('true');
    expect(root.hasAttribute('tabindex')).toBe(false);
    expect(input?.disabled).toBe(true);
    dz.update({ disabled: false });

    detach();
    expect(root.querySelector('input')).toBeNull();
    expect(root.hasAttribute('role')).toBe(false);
    root.dispatchEvent(dragEvent('drop', data));
    root.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(uploader.adds).toHaveLength(2);
    expect(clicks).toHaveLength(2);
  });

  it('uses an input already inside the root and leaves it there', () => {
    const dz = createDropzone(fakeUploader());
    const { root } = tree();
    const input = document.createElement('input');
    root.append(input);
    dz.setInput(input);
    const detach = dz.attach(root);
    expect(root.querySelectorAll('input')).toHaveLength(1);
    expect(input.type).toBe('file');
    detach();
    expect(input.isConnected).toBe(true);
  });
});

describe('types', () => {
  it('takes native DOM events', () => {
    expectTypeOf<DragEvent>().toExtend<DropzoneEvent>();
    expectTypeOf<KeyboardEvent>().toExtend<DropzoneEvent>();
    expectTypeOf<ClipboardEvent>().toExtend<DropzoneEvent>();
    expectTypeOf<Event>().toExtend<DropzoneEvent>();
  });
});

describe('with the real createUploader', () => {
  it('drag state reaches its state, and a drop queues accepted files with their paths', async () => {
    const uploader = createUploader({
      transport: async () => ({}),
      rules: { accept: 'image/*', maxFiles: 3 },
    });
    const dz = createDropzone(uploader);
    const folder = fakeDirectoryEntry('shots', [
      fakeFileEntry('a.png', 'aa', 'image/png'),
      fakeFileEntry('notes.txt', 'n', 'text/plain'),
      fakeDirectoryEntry('old', [fakeFileEntry('b.png', 'bbb', 'image/png')]),
    ]);
    const loose = png('loose.png', 4);
    const data: Transfer = {
      types: ['Files'],
      items: [
        item(loose),
        { kind: 'file', type: '', getAsFile: () => null, webkitGetAsEntry: () => folder },
      ],
    };
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: data }));
    expect(uploader.getState()).toMatchObject(ACTIVE_UNKNOWN);
    dz.rootHandlers.onDrop(event({ target: 1, dataTransfer: data }));
    expect(uploader.getState()).toMatchObject(IDLE);

    await vi.waitFor(() => expect(uploader.getState().items).toHaveLength(3));
    const state = uploader.getState();
    expect(state.items.map((i) => [i.name, i.size, i.relativePath, i.status])).toEqual([
      ['loose.png', 4, undefined, 'queued'],
      ['a.png', 2, 'shots/a.png', 'queued'],
      ['b.png', 3, 'shots/old/b.png', 'queued'],
    ]);
    expect(state.rejected.map((r) => [r.file.name, r.errors[0]?.code])).toEqual([
      ['notes.txt', 'file-invalid-type'],
    ]);

    // The uploader is full now: the next drag is refused before the drop.
    dz.rootHandlers.onDragEnter(event({ target: 1, dataTransfer: transfer([png()]) }));
    expect(uploader.getState()).toMatchObject(ACTIVE_REJECT);
    dz.destroy();
    expect(uploader.getState()).toMatchObject(IDLE);
    uploader.destroy();
  });
});
