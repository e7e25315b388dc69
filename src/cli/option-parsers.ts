/**
 * Parsers for option values, so a bad value is a usage error (exit 2) that
 * says what is expected, before anything runs: `--lock-timeout abc` must not
 * mean "wait forever", nor `--out` into a missing directory fail after a
 * minute of planning.
 *
 * @example
 * new Option('--concurrency <n>').argParser(wholeNumber(1, 64)).default(4)
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`give a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** A duration in seconds (decimals allowed) from 0 to `max`, returned in milliseconds. */
export function secondsAsMs(max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0 || n > max) throw new InvalidArgumentError(`give a number of seconds from 0 to ${max}, e.g. 30 or 2.5.`);
    return Math.round(n * 1000);
  };
}

/** A duration in whole milliseconds from `min` to `max` (a lock timeout of 0 would mean no timeout at all in PostgreSQL). */
export function milliseconds(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`give a number of milliseconds from ${min} to ${max}, e.g. 2000.`);
    return n;
  };
}

/** A file path that can be written: its directory exists and is writable, and it is not a directory itself. */
export function writableFile(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('give a file path.');
  const path = resolve(value);
  const dir = dirname(path);
  const dirStat = statOf(dir);
  if (!dirStat) throw new InvalidArgumentError(`directory "${dirname(value)}" does not exist; create it or choose another path.`);
  if (!dirStat.isDirectory()) throw new InvalidArgumentError(`"${dirname(value)}" is not a directory.`);
  if (statOf(path)?.isDirectory()) throw new InvalidArgumentError(`"${value}" is a directory; give a file path.`);
  try {
    accessSync(statOf(path) ? path : dir, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`"${value}" cannot be written (permission denied); choose another path.`);
  }
  return value;
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
