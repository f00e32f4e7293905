import type { Transport, TransportContext, TransportItem } from '../../transport/transport';

/** One call of the fake transport, settled by the test. */
export interface FakeCall {
  item: TransportItem;
  context: TransportContext;
  aborted: boolean;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** An in-memory transport whose calls the test answers one by one. Test helper only. */
export function fakeTransport() {
  const calls: FakeCall[] = [];
  const transport: Transport = (item, context) =>
    new Promise((resolve, reject) => {
      const call: FakeCall = {
        item,
        context,
        aborted: false,
        settled: false,
        resolve(value) {
          call.settled = true;
          resolve(value);
        },
        reject(error) {
          call.settled = true;
          reject(error);
        },
      };
      context.signal.addEventListener('abort', () => {
        call.aborted = true;
        call.reject(new DOMException('aborted', 'AbortError'));
      });
      calls.push(call);
    });
  return {
    transport,
    calls,
    open: () => calls.filter((c) => !c.settled),
    last: () => calls[calls.length - 1]!,
  };
}

export function makeFile(name: string, size: number, type = 'application/octet-stream'): File {
  return new File([new Uint8Array(size)], name, { type });
}

/** Lets pending promise callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
