/**
 * The migration tool a directory's files are written for, read from their
 * names and comments with the planner's own readers: down markers
 * (`-- migrate:down` dbmate, `-- +goose Down` goose, see down-sections.ts),
 * down files beside up files (`000001_t.down.sql`, see list-files.ts), sqlx
 * (the nearest Rust crate around the directory depends on sqlx, see
 * sqlx-crate.ts), Flyway's `V1__x.sql` names, and engine suffixes such as
 * `.sql.postgres` / `.sql.sqlite`.
 *
 * @example
 * readDirConvention('/repo/chat/migrations', [{ dir: '/repo/chat/migrations', name: '001_rooms.sql' }])
 * // { tool: 'dbmate', flyway: false, suffixes: {}, notes: [] } when 001_rooms.sql has a "-- migrate:down" section
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { downMarkerTool, findDownSections } from '../sql/down-sections.js';
import type { SetConvention } from '../topology/raw.js';
import { upFileOf } from '../topology/list-files.js';
import { sqlxCrateOf } from './sqlx-crate.js';

export interface DirConvention {
  /** The `convention:` a set of this directory declares; undefined when no file needs one. */
  readonly tool?: Exclude<SetConvention, 'plain'>;
  /** Flyway names (`V1__x.sql`): versioned files, with their undo files (`U1__x.sql`) as their reverts. */
  readonly flyway: boolean;
  /** Flyway repeatable files (`R__x.sql`) are there: they run after the versioned ones. */
  readonly repeatable?: boolean;
  /** Engine suffixes found (`.sql.postgres: postgres`, `.sql.sqlite: sqlite`). */
  readonly suffixes: Readonly<Record<string, string>>;
  /** What a reviewer should know about the directory, one sentence each. */
  readonly notes: readonly string[];
  /** The ledger table the crate's sqlx.toml names, for a sqlx directory whose crate names one. */
  readonly sqlxTable?: string;
}

const ENGINE_WORDS: Readonly<Record<string, string>> = { postgres: 'postgres', postgresql: 'postgres', pg: 'postgres', clickhouse: 'clickhouse', neo4j: 'neo4j', cypher: 'neo4j' };

/** `root`: the searched repository; no crate above it is looked for. */
export function readDirConvention(absDir: string, files: readonly { readonly dir: string; readonly name: string }[], root: string = dirname(absDir)): DirConvention {
  const tools = new Set<Exclude<SetConvention, 'plain'>>();
  for (const f of files) {
    if (!/\.sql$/i.test(f.name)) continue;
    for (const s of findDownSections(readFileSync(join(f.dir, f.name), 'utf8'))) tools.add(downMarkerTool(s.marker));
  }
  const names = files.map((f) => f.name);
  const downFiles = names.filter((n) => upFileOf(n) !== undefined);
  const crate = sqlxCrateOf(absDir, root);
  if (downFiles.length > 0) tools.add(crate ? 'sqlx' : 'golang-migrate');
  if (tools.size === 0 && crate) tools.add('sqlx');
  const notes: string[] = [];
  if (tools.size > 1) notes.push(`files follow several tools (${[...tools].sort().join(', ')}); "${[...tools].sort()[0]}" is declared, check that its down sections are the ones meant`);
  const flyway = names.some((n) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(n));
  const repeatable = flyway && names.some((n) => /^R__.+\.sql$/.test(n));
  if (flyway) {
    const undo = names.filter((n) => /^U\d+(?:[._]\d+)*__.+\.sql$/.test(n)).sort();
    if (undo.length > 0) notes.push(`Flyway undo files (${undo.join(', ')}) are the reverts of the V files of their versions`);
    const again = names.filter((n) => /^R__.+\.sql$/.test(n)).sort();
    if (again.length > 0) notes.push(`Flyway repeatable files (${again.join(', ')}) run after the V files, each once: where Flyway runs one again when its text changes, apply reports it as changed`);
  }
  const suffixes: Record<string, string> = {};
  for (const n of names) {
    const m = /(\.sql\.([A-Za-z0-9_]+))$/.exec(n);
    if (m) suffixes[m[1]!] = ENGINE_WORDS[m[2]!.toLowerCase()] ?? m[2]!.toLowerCase();
  }
  const tool = [...tools].sort()[0];
  return { ...(tool ? { tool } : {}), flyway, ...(repeatable ? { repeatable } : {}), suffixes, notes, ...(tool === 'sqlx' && crate?.table ? { sqlxTable: crate.table } : {}) };
}
