/**
 * The shared part of reading a split script (ClickHouse, Cypher): the
 * unterminated-quote diagnostic and each piece's place, text and normal form;
 * the engine supplies only what a statement does.
 *
 * @example
 * analyzeSplit(text, file, { engine: 'neo4j', lineComments: ['//'], describe: (sql) => ({ kind: 'CYPHER', effects: [], transactional: true }) })
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Destruction, Effect, EngineName, ParsedStatement } from './effects.js';
import { splitStatements, type SplitOptions } from './split-statements.js';

export interface PieceInfo {
  readonly kind: string;
  readonly effects: Effect[];
  /** What the statement destroys, if anything. */
  readonly destroys?: readonly Destruction[];
  readonly transactional: boolean;
  readonly nonTransactionalReason?: string;
  /** A warning about this statement, e.g. one the reader does not understand. */
  readonly warning?: { code: string; message: string; hint: string };
}

export function analyzeSplit(
  text: string,
  file: string,
  o: SplitOptions & { engine: EngineName; describe: (sql: string, index: number) => PieceInfo },
): { statements: ParsedStatement[]; diagnostics: Diagnostic[] } {
  const split = splitStatements(text, o);
  if (split.unterminated) {
    const p = split.src.position(split.unterminated.index);
    return { statements: [], diagnostics: [diagnostic({ code: 'sql.parse', severity: 'error', message: `sql: cannot split "${file}": unterminated ${split.unterminated.what} starting here`, file, line: p.line, column: p.column, hint: 'close the quote or comment' })] };
  }
  const diagnostics: Diagnostic[] = [];
  const statements = split.pieces.map((p, index): ParsedStatement => {
    const info = o.describe(p.text, index);
    const from = split.src.position(p.start);
    if (info.warning) diagnostics.push(diagnostic({ ...info.warning, severity: 'warning', file, line: from.line, column: from.column }));
    return {
      index,
      engine: o.engine,
      sql: p.text,
      start: split.src.byteAt(p.start),
      end: split.src.byteAt(p.end),
      line: from.line,
      column: from.column,
      endLine: split.src.position(p.end - 1).line,
      kind: info.kind,
      effects: info.effects,
      ...(info.destroys?.length ? { destroys: info.destroys } : {}),
      transactional: info.transactional,
      ...(info.nonTransactionalReason ? { nonTransactionalReason: info.nonTransactionalReason } : {}),
    };
  });
  return { statements, diagnostics };
}
