/**
 * A connected PostgreSQL client for the benchmarks, from a connection URL.
 * The caller ends it.
 *
 * @example
 * const c = await pgClient(databaseUrl(server.url, 'bench_old'))
 * await c.query('SELECT 1')
 * await c.end()
 */
import pg from 'pg';

/** Connects a new client to `url`. */
export async function pgClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}
