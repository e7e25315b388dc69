/**
 * As root, embedded PostgreSQL runs as the `postgres` OS user, which cannot
 * enter a project under a mode-700 directory (`mktemp -d`, `/root`). apply
 * works there anyway: the cluster lives where that user can reach it, the
 * run says where, and no permission of the user's directories changes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPostmasterPid } from '../../../src/engines/embedded/postmaster-pid.js';
import { cli } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const asRoot = process.getuid?.() === 0;
const { dir, topologyFile } = makeProject(
  {
    'app/001_accounts.sql': "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);\nCOMMENT ON TABLE accounts IS 'who signs in';\n",
    'app/002_sessions.sql': 'CREATE TABLE sessions (id uuid PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id), expires_at timestamptz);\n',
  },
  pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['accounts', 'sessions'] } } }),
);
const dataDir = join(dir, '.topoplan');
let cluster: string | undefined;
afterAll(async () => {
  if (cluster) await rm(cluster, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('apply as root from a mode-700 parent directory', () => {
  it('applies, says where the cluster is, and leaves the modes of the project alone', async () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const first = await cli(['apply', topologyFile, '--data-dir', dataDir]);
    const said = first.out + first.err;
    expect(first.code, said).toBe(0);
    const pointer = join(dataDir, 'postgres', 'topoplan-cluster.json');
    cluster = (JSON.parse(readFileSync(pointer, 'utf8')) as { cluster: string }).cluster;
    expect(cluster).toMatch(/^\/var\/lib\/topoplan\/postgres-[0-9a-f]{16}$/);
    expect(said).toContain(`topoplan: the OS user that runs embedded PostgreSQL cannot enter ${dataDir}, so its cluster is kept in ${cluster} (named in ${pointer}); no permissions were changed`);
    expect(said).toContain(`with data in ${cluster} (outside ${join(dataDir, 'postgres')}`);
    expect(said).toMatch(/applied\s+main:app\/001_accounts\.sql/);
    expect(existsSync(join(cluster, 'PG_VERSION'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The run that started the server was its only user: it is stopped.
    expect((await readPostmasterPid(cluster))?.alive ?? false).toBe(false);

    const again = await cli(['apply', topologyFile, '--data-dir', dataDir]);
    const saidAgain = again.out + again.err;
    expect(again.code, saidAgain).toBe(0);
    expect(again.out).toBe('No changes: 3 steps already applied\n');
    expect(saidAgain).toContain(`with data in ${cluster}`);
    expect(saidAgain).not.toContain('so its cluster is kept in');

    // A read-only command finds the cluster through the pointer instead of calling the store empty.
    const status = await cli(['status', topologyFile, '--data-dir', dataDir]);
    expect(status.out + status.err).not.toContain('not reachable');
    expect(status.code, status.out + status.err).toBe(0);
    expect((await readPostmasterPid(cluster))?.alive ?? false, 'status stops the server it started').toBe(false);
  });
});
