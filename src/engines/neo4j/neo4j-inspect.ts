/**
 * Reads what a Neo4j database holds: labels (as `tables`), and indexes and
 * constraints (both under `indexes`, told apart in `definitions`), leaving out
 * topoplan's own ledger and lock and the built-in token lookup indexes.
 *
 * @example
 * const snap = await inspectNeo4j(session)
 * snap.definitions['constraint person_id'] // 'UNIQUENESS on Person(id)'
 */
import type { Session } from 'neo4j-driver';
import type { SchemaSnapshot } from '../engine.js';
import type { SchemaObject } from '../schema-objects.js';

const OWN = /^topoplan_|^Topoplan/;

export async function inspectNeo4j(session: Session): Promise<SchemaSnapshot> {
  const definitions: Record<string, string> = {};
  const names: string[] = [];
  const objects: SchemaObject[] = [];
  const constraints = await session.run('SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties');
  for (const r of constraints.records) {
    const name = r.get('name') as string;
    if (OWN.test(name)) continue;
    names.push(name);
    definitions[`constraint ${name}`] = `${r.get('type')} on ${describe(r.get('labelsOrTypes'), r.get('properties'))}`;
    objects.push({ kind: 'index', name, table: labelOf(r.get('labelsOrTypes')), definition: `CONSTRAINT ${definitions[`constraint ${name}`]}`, unique: /UNIQUE/.test(String(r.get('type'))) });
  }
  const indexes = await session.run('SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint');
  for (const r of indexes.records) {
    const name = r.get('name') as string;
    if (OWN.test(name) || r.get('type') === 'LOOKUP' || r.get('owningConstraint')) continue;
    names.push(name);
    definitions[`index ${name}`] = `${r.get('type')} on ${describe(r.get('labelsOrTypes'), r.get('properties'))}`;
    objects.push({ kind: 'index', name, table: labelOf(r.get('labelsOrTypes')), definition: `INDEX ${definitions[`index ${name}`]}`, unique: false });
  }
  const labels = (await session.run('CALL db.labels() YIELD label RETURN label')).records
    .map((r) => r.get('label') as string)
    .filter((l) => !OWN.test(l));
  return {
    tables: labels.sort(),
    views: [],
    indexes: names.sort(),
    triggers: [],
    functions: [],
    extensions: [],
    types: [],
    sequences: [],
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1))),
    objects: objects.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

function labelOf(labels: unknown): string {
  return Array.isArray(labels) ? labels.join('|') : '';
}

function describe(labels: unknown, properties: unknown): string {
  const l = Array.isArray(labels) ? labels.join('|') : '';
  const p = Array.isArray(properties) ? properties.join(', ') : '';
  return `${l}(${p})`;
}
