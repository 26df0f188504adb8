import type { FilterError } from '../../lib/contract';

/** A request the messages API refuses or cannot serve: the status, a code, and what to do about it. */
export class MessagesError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly filterError?: FilterError,
  ) {
    super(message);
  }
}
