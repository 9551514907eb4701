/**
 * The socket under every PostgreSQL connection. node-postgres writes each protocol message of a
 * query — parse, bind, describe, execute, sync — with its own socket write: five system calls,
 * and as many chances to wake the PostgreSQL backend before the query is complete. On this
 * project's 2-core machine those writes were a fifth of a worker's CPU profile under load
 * (docs/benchmarks.md). This socket holds the writes made in one tick and sends them together,
 * in one writev, at the end of the tick. Passed to pg as its documented `stream` factory.
 *
 * node-postgres 8.23 corks the socket around a prepared query's messages itself, so such a query
 * already leaves as one writev, inside the query() call, and this hold does not start for it (a
 * write to a corked socket is not held; twenty-sixth run). A request served alone holds its
 * queries past pg's cork to the end of the loop's turn instead (storage/prepared.ts, ADR 0042).
 */
import net from 'node:net';

/** net.Socket#write with the tick's writes held back (corked) until the tick ends. */
const coalescingWrite = function (this: net.Socket, ...args: unknown[]): boolean {
  if (!this.writableCorked) {
    this.cork();
    process.nextTick(() => this.uncork());
  }
  return (net.Socket.prototype.write as (...a: unknown[]) => boolean).apply(this, args);
} as net.Socket['write'];

export class CoalescingSocket extends net.Socket {
  constructor() {
    super();
    this.write = coalescingWrite;
  }

  override connect(...args: unknown[]): this {
    (net.Socket.prototype.connect as (...a: unknown[]) => unknown).apply(this, args);
    // net.Socket#connect puts its own write back on the instance (it clears a write-after-end
    // guard), so the coalescing write is installed again after it.
    this.write = coalescingWrite;
    return this;
  }
}

export const coalescingStream = (): net.Socket => new CoalescingSocket();
