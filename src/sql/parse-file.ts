/**
 * Parses one migration file with the right reader: the declared engine, else
 * `.cypher`/`.cql` for Neo4j, else the engine of the only store its service
 * has, else PostgreSQL, falling back to ClickHouse when the PostgreSQL parser
 * rejects the file and it uses ClickHouse syntax.
 *
 * @example
 * await loadParsers();
 * const f = parseMigrationFile({ file: 'feature-store/clickhouse/001_features.sql', text });
 * f.engine // 'clickhouse' (detected)
 */
import { diagnostic } from '../errors.js';
import { analyzeClickHouse, looksLikeClickHouse } from './clickhouse/analyze-clickhouse.js';
import { analyzeCypher } from './cypher/analyze-cypher.js';
import type { EngineName, ParsedFile } from './effects.js';
import { analyzePostgres, loadPostgresParser } from './postgres/index.js';
import { digestHex } from './digest-hex.js';

export async function loadParsers(): Promise<void> {
  await loadPostgresParser();
}

/** `detect: false` keeps a file the PostgreSQL parser rejects as PostgreSQL (its text is not final yet). */
export function parseMigrationFile(input: { file: string; text: string; declaredEngine?: EngineName; storeEngine?: EngineName; detect?: boolean }): ParsedFile {
  const { file, text } = input;
  const checksum = digestHex('sha256', text);
  const base = file.split('/').pop() ?? file;
  if (input.declaredEngine) return { file, checksum, engine: input.declaredEngine, engineSource: 'declared', ...analyze(input.declaredEngine, text, file) };
  if (/\.(cypher|cql)$/i.test(file)) return { file, checksum, engine: 'neo4j', engineSource: 'extension', ...analyzeCypher(text, file) };
  if (input.storeEngine) return { file, checksum, engine: input.storeEngine, engineSource: 'store', ...analyze(input.storeEngine, text, file) };
  const pg = analyzePostgres(text, file);
  const err = pg.diagnostics.find((d) => d.code === 'sql.parse');
  const telling = err && input.detect !== false ? looksLikeClickHouse(text) : undefined;
  if (!err || !telling) return { file, checksum, engine: 'postgres', engineSource: 'default', ...pg };
  const ch = analyzeClickHouse(text, file);
  const note = diagnostic({
    code: 'sql.engine_detected',
    severity: 'info',
    message: `sql: "${file}" is read as ClickHouse: the PostgreSQL parser rejects it at line ${err.line ?? '?'} (${err.message.replace(/^sql: cannot parse "[^"]*": /, '')}) and it uses ClickHouse syntax (${telling})`,
    file,
    ...(err.line ? { line: err.line } : {}),
    ...(err.column ? { column: err.column } : {}),
    hint: `declare it to skip detection:\nsets:\n  <set>:\n    engines: { "${base}": clickhouse }`,
  });
  return { file, checksum, engine: 'clickhouse', engineSource: 'detected', statements: ch.statements, diagnostics: [note, ...ch.diagnostics] };
}

function analyze(engine: EngineName, text: string, file: string) {
  return engine === 'postgres' ? analyzePostgres(text, file) : engine === 'clickhouse' ? analyzeClickHouse(text, file) : analyzeCypher(text, file);
}
