/**
 * A check runs every PostgreSQL store on one scratch server, each in its own
 * database. Stores that use the same database name on different servers
 * would meet there, so each later one gets a database of its own
 * (`<database>__<store>`); the plan's steps follow it. ClickHouse statements
 * name their database themselves, so ClickHouse stores keep theirs.
 *
 * @example
 * separateDatabases(plan).notes // ['stores "a" and "b" both use database "app": "b" is checked in database "app__b"']
 */
import type { Plan, Step } from '../plan/model.js';

export function separateDatabases(plan: Plan): { plan: Plan; notes: string[] } {
  const owner = new Map<string, string>();
  const moved = new Map<string, string>();
  const notes: string[] = [];
  for (const s of plan.stores) {
    if (s.engine !== 'postgres') continue;
    const first = owner.get(s.database);
    if (first === undefined) {
      owner.set(s.database, s.name);
      continue;
    }
    let name = `${s.database}__${s.name}`;
    while (owner.has(name)) name += '_';
    owner.set(name, s.name);
    moved.set(s.name, name);
    notes.push(`stores "${first}" and "${s.name}" both use database "${s.database}": "${s.name}" is checked in database "${name}"`);
  }
  if (moved.size === 0) return { plan, notes };
  const retarget = (step: Step): Step => {
    const database = moved.get(step.store);
    if (!database) return step;
    const statements = step.kind === 'create_database' ? [`CREATE DATABASE "${database.replace(/"/g, '""')}"`] : step.statements;
    return { ...step, database, statements };
  };
  return {
    plan: { ...plan, stores: plan.stores.map((s) => (moved.has(s.name) ? { ...s, database: moved.get(s.name)! } : s)), steps: plan.steps.map(retarget) },
    notes,
  };
}
