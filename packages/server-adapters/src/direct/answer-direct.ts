import type { Exchange } from '../exchange/exchange';
import type { DirectAnswer } from './direct-runtime';

/** Sends a direct route's answer: its JSON body, never cached (it holds signed URLs). */
export function answerDirect(exchange: Exchange, answer: DirectAnswer): void {
  if (answer.body === undefined) {
    exchange.send(answer.status, { 'Cache-Control': 'no-store' });
    return;
  }
  const body = JSON.stringify(answer.body);
  exchange.send(
    answer.status,
    {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    },
    body,
  );
}
