import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RawResponse {
  /** `null` when the server closed the connection without answering. */
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** Bytes of the request the socket had written when the answer (or the close) came. */
  bytesWrittenAtAnswer: number;
}

export interface RawRequestOptions {
  port: number;
  /** Request line and headers, without the blank line. */
  head: string;
  /** Body pieces written one after the other. */
  body?: Array<string | Uint8Array>;
  /** Pause between body pieces, to look like a slow client. */
  pauseMs?: number;
  /**
   * What the client does after the last piece: `wait` for an answer (default), `destroy` the
   * socket at once (an abort), or `end` its side and wait.
   */
  afterBody?: 'wait' | 'destroy' | 'end';
  /** Give up waiting after this long. Defaults to 10 s. */
  timeoutMs?: number;
  /** Stop writing once the server has answered (the server cut the upload short). */
  stopOnAnswer?: boolean;
}

function parseResponse(raw: Buffer): Omit<RawResponse, 'bytesWrittenAtAnswer'> | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(end + 4);
  const length =
    headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length !== undefined && rest.length < length) return null;
  return { status, headers, body: rest.subarray(0, length ?? rest.length).toString('utf8') };
}

/**
 * One HTTP/1.1 exchange over a bare socket, for what `fetch` will not send: malformed bodies,
 * lying lengths, clients that stall or vanish mid-file.
 */
export function rawRequest(options: RawRequestOptions): Promise<RawResponse> {
  const {
    port,
    head,
    body = [],
    pauseMs = 0,
    afterBody = 'wait',
    timeoutMs = 10_000,
    stopOnAnswer = false,
  } = options;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    let answered: Omit<RawResponse, 'bytesWrittenAtAnswer'> | null = null;
    let bytesWrittenAtAnswer = -1;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = answered ?? parseResponse(Buffer.concat(received));
      resolve({
        status: parsed?.status ?? null,
        headers: parsed?.headers ?? {},
        body: parsed?.body ?? '',
        bytesWrittenAtAnswer:
          bytesWrittenAtAnswer === -1 ? socket.bytesWritten : bytesWrittenAtAnswer,
      });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(
        new Error(
          `no answer within ${timeoutMs} ms; got: ${Buffer.concat(received).toString('latin1').slice(0, 200)}`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (answered) return;
      answered = parseResponse(Buffer.concat(received));
      if (answered) {
        bytesWrittenAtAnswer = socket.bytesWritten;
        // Keep-alive connections stay open: a complete answer is the end of the exchange.
        if (afterBody !== 'destroy') finish();
      }
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.once('connect', async () => {
      try {
        socket.write(`${head}\r\n\r\n`);
        for (const piece of body) {
          if (settled || socket.destroyed || (stopOnAnswer && answered)) return;
          if (!socket.write(piece)) {
            await new Promise<void>((r) => {
              const done = () => {
                socket.off('drain', done);
                socket.off('close', done);
                r();
              };
              socket.on('drain', done);
              socket.on('close', done);
            });
          }
          if (pauseMs > 0) await sleep(pauseMs);
        }
        if (afterBody === 'destroy') {
          // Let the pieces leave before vanishing, so the server sees a partial file.
          await sleep(50);
          finish();
        } else if (afterBody === 'end') socket.end();
      } catch (error) {
        reject(error);
      }
    });
  });
}
