/**
 * Engines for a check that go on past a failing statement. Each session
 * applies a step exactly as apply does; when a statement fails, it runs the
 * step's other statements on their own (PostgreSQL: inside one transaction,
 * each behind a savepoint; ClickHouse and non-transactional steps: one by
 * one), records every statement that failed, and then reports the step failed
 * as apply would, so the steps that depend on it are still skipped. One run
 * thus shows every failing statement of a file, not only its first.
 *
 * @example
 * const failures = new Map<string, StatementError[]>()
 * await applyPlan(plan, { ...options, engines: continuingEngines(failures) })
 * failures.get('nova:legacy/003.sql#1-4')?.errors // [StatementError (statement 1), StatementError (statement 3)]
 */
import pg from 'pg';
import type { ConnectOptions, Engine, EngineSession } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { openClickHouse, type ClickHouseConnection } from '../engines/clickhouse/clickhouse-connection.js';
import { databaseUrl } from '../engines/postgres/postgres-url.js';
import { StatementError, toStatementError } from '../engines/statement-error.js';
import type { Plan, Step } from '../plan/model.js';
import type { EngineName } from '../sql/effects.js';

/** Every failing statement of each failed step, by step id, in statement order, with the step as it ran (a resumed step runs only part of its statements). */
export type StatementFailures = Map<string, { readonly step: Step; readonly errors: StatementError[] }>;

export function continuingEngines(failures: StatementFailures, base: (name: EngineName) => Engine = engineFor): (name: EngineName) => Engine {
  const wrapped = new Map<EngineName, Engine>();
  return (name) => {
    let engine = wrapped.get(name);
    if (!engine) {
      const inner = base(name);
      engine = { name, capabilities: inner.capabilities, connect: async (options) => continuing(await inner.connect(options), name, options, failures) };
      wrapped.set(name, engine);
    }
    return engine;
  };
}

/** Runs one statement of the step's store on a connection of its own. */
type Runner = { run(sql: string): Promise<void>; close(): Promise<void> };

function continuing(session: EngineSession, engine: EngineName, options: ConnectOptions, failures: StatementFailures): EngineSession {
  let runner: Promise<Runner> | undefined;
  const runnerFor = () => (runner ??= openRunner(engine, options));
  const applyStep: EngineSession['applyStep'] = async (step, context) => {
    try {
      return await session.applyStep(step, context);
    } catch (e) {
      if (!(e instanceof StatementError) || step.kind !== 'sql' || engine === 'neo4j') throw e;
      const errors = [e, ...(await theOthers(step, e.statementIndex, await runnerFor()))].sort((a, b) => a.statementIndex - b.statementIndex);
      failures.set(step.id, { step, errors });
      throw e;
    }
  };
  const close = async () => {
    await (await runner?.catch(() => undefined))?.close().catch(() => undefined);
    await session.close();
  };
  // Everything else is the session's own, called on it.
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'applyStep') return applyStep;
      if (prop === 'close') return close;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The statements of a step other than the one that failed: a transactional
 * PostgreSQL step was rolled back, so all of them run again in one
 * transaction, each behind a savepoint; otherwise the ones before the failure
 * are in effect already and the ones after it run one by one.
 */
async function theOthers(step: Step, failed: number, runner: Runner): Promise<StatementError[]> {
  const out: StatementError[] = [];
  const redo = step.engine === 'postgres' && step.transactional;
  const tryOne = async (i: number) => {
    const sql = step.statements[i]!;
    if (!redo) {
      await runner.run(sql).catch((e: unknown) => out.push(toStatementError(step.id, i, sql, e)));
      return;
    }
    await runner.run('SAVEPOINT topoplan_check');
    try {
      await runner.run(sql);
      await runner.run('RELEASE SAVEPOINT topoplan_check');
    } catch (e) {
      out.push(toStatementError(step.id, i, sql, e));
      await runner.run('ROLLBACK TO SAVEPOINT topoplan_check');
    }
  };
  if (redo) await runner.run('BEGIN');
  try {
    for (let i = redo ? 0 : failed + 1; i < step.statements.length; i++) if (i !== failed) await tryOne(i);
    if (redo) await runner.run('COMMIT');
  } catch (e) {
    if (redo) await runner.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return out;
}

async function openRunner(engine: EngineName, options: ConnectOptions): Promise<Runner> {
  if (engine === 'clickhouse') {
    const conn: ClickHouseConnection = await openClickHouse(options.url, options.cluster ? { cluster: options.cluster } : {});
    return { run: async (sql) => void (await conn.command(sql, options.database)), close: () => conn.close() };
  }
  const client = new pg.Client({ connectionString: databaseUrl(options.url, options.database), application_name: `topoplan check ${options.store}` });
  client.on('error', () => undefined);
  await client.connect();
  return { run: async (sql) => void (await client.query(sql)), close: () => client.end() };
}

/**
 * The dependencies of a plan that only keep the author's file order in a set:
 * a check lets a step run even when the file before it failed, so later
 * failures of the same set show in the same run.
 *
 * @example applyPlan(plan, { softDependency: fileOrderOnly(plan) })
 */
export function fileOrderOnly(plan: Plan): (step: Step, dependency: string) => boolean {
  const soft = new Set<string>();
  for (const e of plan.edges) if (e.reasons.every((r) => r.startsWith('file order in set '))) soft.add(`${e.from}\u0000${e.to}`);
  return (step, dependency) => soft.has(`${dependency}\u0000${step.id}`);
}
