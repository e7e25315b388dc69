/**
 * sqlx compatibility: for a service with `ledger: sqlx`, the step that
 * finishes a file carries the row sqlx itself would write to
 * `_sqlx_migrations` (version and description from the file name, SHA-384 of
 * the file's exact bytes), so the service's `sqlx::migrate!()` sees it applied.
 *
 * @example
 * parseSqlxName('003_create_comment_likes.sql') // { version: '3', description: 'create comment likes' }
 */
import type { ParsedFile } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import { readSqlxName } from '../../topology/sqlx-name.js';
import type { Step } from '../model.js';
import type { DraftStep } from '../order/steps.js';
import type { Unit } from './units.js';
import { SQLX_SCHEMA, SQLX_TABLE, sqlxTableOf } from '../resolve/sqlx-ledgers.js';

/** sqlx's reading of a forward file's name (see topology/sqlx-name.ts); undefined when sqlx would not record it. */
export function parseSqlxName(name: string): { version: string; description: string } | undefined {
  const n = readSqlxName(name);
  return n.kind === 'migration' && n.type !== 'down' ? { version: n.version, description: n.description } : undefined;
}

export function sqlxInfo(topology: Topology, drafts: readonly DraftStep[], files: ReadonlyMap<string, { parsed: ParsedFile; sha384: string }>): Map<string, NonNullable<Step['sqlx']>> {
  const out = new Map<string, NonNullable<Step['sqlx']>>();
  const lastOfFile = new Map<string, DraftStep>();
  for (const d of drafts) {
    if (d.synth || d.destructive) continue;
    const u = d.nodes[0] as Unit;
    const service = u.set.service ? topology.services.get(u.set.service) : undefined;
    if (!service || service.ledger !== 'sqlx' || u.set.shared) continue;
    // By store too: a set several services run has the same file in each service's store.
    const k = `${d.store}|${u.file.file}`;
    const prev = lastOfFile.get(k);
    if (!prev || (prev.nodes[0] as Unit).seq < u.seq) lastOfFile.set(k, d);
  }
  for (const d of drafts) {
    if (d.synth || d.destructive) continue;
    const u = d.nodes[0] as Unit;
    const last = lastOfFile.get(`${d.store}|${u.file.file}`);
    if (!last) continue;
    const name = parseSqlxName(u.file.name);
    const file = files.get(u.file.file);
    if (!name || !file) continue;
    const { schema, table } = sqlxTableOf(topology.services.get(u.set.service!)!);
    const qualified = `${schema}.${table}`;
    out.set(d.id, { ...name, checksumSha384: file.sha384, completesFile: last === d, ...(qualified !== `${SQLX_SCHEMA}.${SQLX_TABLE}` ? { table: qualified } : {}) });
  }
  return out;
}
