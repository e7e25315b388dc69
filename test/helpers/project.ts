/**
 * Writes a small project (migration files and a topology YAML) into a temp
 * directory, so planner tests read real files the way users' projects do.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Plan } from '../../src/plan/model.js';
import { planMigration } from '../../src/plan/plan-migration.js';

export function makeProject(files: Record<string, string>, topology: Record<string, unknown>): { dir: string; topologyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topoplan-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const topologyFile = join(dir, 'topology.yaml');
  writeFileSync(topologyFile, stringify({ topoplan: 1, name: 'test', ...topology }));
  return { dir, topologyFile };
}

/** A one-store PostgreSQL topology with the given sets and services. */
export function pgTopology(extra: Record<string, unknown>): Record<string, unknown> {
  return { stores: { main: { engine: 'postgres', database: 'main' } }, ...extra };
}

/** {@link pgTopology} with services `a` and `b`, each with its own set (`a/`, `b/`) in store `main`; `a` owns `owns`. */
export function twoServices(owns: readonly string[] = []): Record<string, unknown> {
  return pgTopology({
    sets: { a: { dir: 'a' }, b: { dir: 'b' } },
    services: { a: { stores: { postgres: 'main' }, sets: ['a'], ...(owns.length > 0 ? { owns } : {}) }, b: { stores: { postgres: 'main' }, sets: ['b'] } },
  });
}

/** Plans `files` under {@link twoServices}, errors allowed; set b's directory is there even when `files` has none of it. */
export async function planTwoServices(files: Record<string, string>): Promise<Plan> {
  return planMigration(makeProject({ 'b/.keep': '', ...files }, twoServices()).topologyFile, { allowErrors: true, env: {} });
}

/** The plan's errors as `[code, file:line, message, hint]`. */
export function errorsOf(plan: Plan): (string | undefined)[][] {
  return plan.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint]);
}

/** Plans `files` under {@link twoServices} and lists its errors as `[code, file:line, message]`. */
export async function planErrors(files: Record<string, string>): Promise<(string | undefined)[][]> {
  return errorsOf(await planTwoServices(files)).map((e) => e.slice(0, 3));
}
