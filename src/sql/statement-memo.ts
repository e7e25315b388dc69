/**
 * What the planner reads again from single statements after parsing (the
 * normalised tree of a contested definition, the shape of a table), kept by
 * statement text in the parse cache, so a plan whose files all come from the
 * cache also needs no parser for these. Within withStatementMemo(store, run),
 * memoized() answers from the store and records what it computes there;
 * outside one it simply computes. A value is anything JSON can hold, or
 * undefined.
 *
 * @example
 * const shape = withStatementMemo(cache, () => memoized('table-shape', sql, () => readShape(sql)));
 */
import { createHash } from 'node:crypto';

export interface StatementMemoStore {
  /** `{ value }` when the store holds one for `key` (a 64-digit hex digest). */
  recall(key: string): { readonly value: unknown } | undefined;
  remember(key: string, value: unknown): void;
}

let current: StatementMemoStore | undefined;

/** Runs `run` (synchronous) with `store` answering memoized(); undefined: no store. */
export function withStatementMemo<T>(store: StatementMemoStore | undefined, run: () => T): T {
  const outer = current;
  current = store;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** The key of one reading (`kind`) of one statement text. */
export function memoKey(kind: string, text: string): string {
  return createHash('sha256').update('statement-memo\0').update(kind).update('\0').update(text).digest('hex');
}

export function memoized<T>(kind: string, text: string, compute: () => T): T {
  const store = current;
  if (!store) return compute();
  const key = memoKey(kind, text);
  const hit = store.recall(key);
  if (hit) return hit.value as T;
  const value = compute();
  store.remember(key, value);
  return value;
}
