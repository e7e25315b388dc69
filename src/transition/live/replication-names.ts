/**
 * The streams of a live transition, derived from the transition plan: one
 * per (old database, new database) pair that tables move between (a
 * subscription takes every table of its publication, so an old database
 * feeding two new ones publishes twice), named after topology B and the two
 * databases, so a re-run, `--status` and `--abort`
 * find the same publication (in the old database), replication slot (on the
 * old server) and subscription (in the new database). Names are PostgreSQL
 * identifiers: lowercase, at most 63 bytes (a long one keeps a hash suffix).
 *
 * @example
 * liveStreams(tp) // [{ publication: 'topoplan_shop_b_main_to_shop', slot: (the same), subscription: (the same), tables: [...] }]
 */
import { createHash } from 'node:crypto';
import type { Place, TableMove, TransitionPlan } from '../plan-transition.js';

export interface LiveStream {
  readonly from: Place;
  readonly to: Place;
  readonly publication: string;
  readonly slot: string;
  readonly subscription: string;
  /** Moving tables of this pair, parents first. */
  readonly tables: readonly TableMove[];
}

/** `name` as a PostgreSQL identifier of at most 63 bytes. */
export function identifier(name: string): string {
  const plain = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  if (plain.length <= 63) return plain;
  return `${plain.slice(0, 54)}_${createHash('sha256').update(plain).digest('hex').slice(0, 8)}`;
}

export function liveStreams(tp: TransitionPlan): LiveStream[] {
  const streams = new Map<string, LiveStream & { tables: TableMove[] }>();
  for (const t of tp.tables) {
    const key = `${t.from.store}/${t.from.database}→${t.to.store}/${t.to.database}`;
    let s = streams.get(key);
    if (!s) {
      // A subscription takes every table of its publication: an old database feeding two new ones publishes twice.
      const name = identifier(`topoplan_${tp.to.topology}_${t.from.database}_to_${t.to.database}`);
      s = { from: t.from, to: t.to, publication: name, slot: name, subscription: name, tables: [] };
      streams.set(key, s);
    }
    s.tables.push(t);
  }
  return [...streams.values()];
}
