/**
 * The PostgreSQL parser (libpg-query's WebAssembly), loaded on demand: a plan
 * whose files all come from the parse cache never loads or compiles it. Load it
 * once with loadPostgresParser(); the synchronous parses below throw
 * ParserNotLoaded until then, which the planner takes as its cue to load it and
 * plan again.
 *
 * @example
 * await loadPostgresParser();
 * postgresParser().parseSync('CREATE TABLE t (id int)').stmts[0].stmt // { CreateStmt: { relation: { relname: 't', ... } } }
 */
import type * as LibPgQuery from 'libpg-query';

export type PostgresParser = Pick<typeof LibPgQuery, 'parseSync' | 'parsePlPgSQLSync'>;

let parser: PostgresParser | undefined;
let loading: Promise<void> | undefined;

/** Thrown by postgresParser() before loadPostgresParser() has finished. */
export class ParserNotLoaded extends Error {
  constructor() {
    super('the PostgreSQL parser is not loaded: await loadPostgresParser() (or loadParsers()) first');
    this.name = 'ParserNotLoaded';
  }
}

/** Loads the parser's WebAssembly module once; call before anything parses PostgreSQL. */
export function loadPostgresParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    parser = m;
  });
  return loading;
}

export function postgresParserLoaded(): boolean {
  return parser !== undefined;
}

/** The loaded parser; throws ParserNotLoaded before loadPostgresParser() has finished. */
export function postgresParser(): PostgresParser {
  if (!parser) throw new ParserNotLoaded();
  return parser;
}
