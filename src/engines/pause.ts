/**
 * Waiting between polls (for a lock, for a server to start) that a stopped
 * run does not sit through: it rejects as soon as the signal is aborted,
 * with an `interrupted` error naming what was being waited for.
 *
 * @example
 * await pause(250, options.signal, 'the lock of store "nova"')
 */
import { TopoplanError } from '../errors.js';

export function pause(ms: number, signal: AbortSignal | undefined, waitingFor: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(interrupted(waitingFor));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted(waitingFor));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error of a wait cut short by a stop. */
export function interrupted(waitingFor: string): TopoplanError {
  return new TopoplanError('interrupted', `interrupted while waiting for ${waitingFor}`);
}
