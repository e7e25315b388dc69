/**
 * Reads a Cypher file for Neo4j: statements split on `;`, and effects for
 * schema statements (constraints and indexes). Data statements are kept with
 * no effects. Neo4j runs each schema statement in a transaction of its own.
 *
 * @example
 * analyzeCypher('CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;', 'g.cypher')
 */
import type { Diagnostic } from '../../errors.js';
import type { Effect, ParsedStatement } from '../effects.js';
import { analyzeSplit } from '../split-analysis.js';

export function cypherEffects(text: string): { kind: string; effects: Effect[] } {
  let m: RegExpExecArray | null;
  const ine = /\bIF\s+NOT\s+EXISTS\b/i.test(text);
  if ((m = /^CREATE\s+CONSTRAINT\s+(?:(`[^`]+`|\w+)\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:FOR|ON)\s*\((\w+):(\w+)\)/i.exec(text))) {
    const name = m[1] ? m[1].replace(/`/g, '') : `constraint_${m[3]}`;
    return { kind: 'CREATE CONSTRAINT', effects: [{ action: 'create', object: { kind: 'graph_constraint', name }, ifNotExists: ine }] };
  }
  if ((m = /^CREATE\s+(?:RANGE\s+|TEXT\s+|POINT\s+|LOOKUP\s+|FULLTEXT\s+|VECTOR\s+)?INDEX\s+(?:(`[^`]+`|\w+)\s+)?(?:IF\s+NOT\s+EXISTS\s+)?FOR\s/i.exec(text))) {
    const label = /:(\w+)/.exec(text.slice(m[0].length))?.[1] ?? 'index';
    const name = m[1] && m[1].toUpperCase() !== 'IF' ? m[1].replace(/`/g, '') : `index_${label}`;
    return { kind: 'CREATE INDEX', effects: [{ action: 'create', object: { kind: 'graph_index', name }, ifNotExists: ine }] };
  }
  if ((m = /^DROP\s+(CONSTRAINT|INDEX)\s+(`[^`]+`|\w+)/i.exec(text))) {
    const kind = m[1]!.toUpperCase() === 'CONSTRAINT' ? ('graph_constraint' as const) : ('graph_index' as const);
    return { kind: `DROP ${m[1]!.toUpperCase()}`, effects: [{ action: 'drop', object: { kind, name: m[2]!.replace(/`/g, '') }, ifExists: /\bIF\s+EXISTS\b/i.test(text) }] };
  }
  return { kind: 'CYPHER', effects: [] };
}

export function analyzeCypher(text: string, file: string): { statements: ParsedStatement[]; diagnostics: Diagnostic[] } {
  return analyzeSplit(text, file, {
    engine: 'neo4j',
    lineComments: ['//'],
    describe: (sql) => {
      const { kind, effects } = cypherEffects(sql);
      const schema = kind !== 'CYPHER';
      return { kind, effects, transactional: !schema, ...(schema ? { nonTransactionalReason: 'neo4j schema statements run in their own transaction' } : {}) };
    },
  });
}
