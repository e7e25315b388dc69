/** A tree naming indexes that PRIMARY KEY and UNIQUE constraints made, from its own and another set, applies on PostgreSQL in the plan's order. */
import { describe, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';
import { makeProject, twoServices } from '../../helpers/project.js';

describe('indexes made by constraints', () => {
  it('are there when the statements naming them run', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_accounts.sql': "CREATE TABLE accounts (id bigint PRIMARY KEY, email text UNIQUE);\nCOMMENT ON INDEX accounts_pkey IS 'by id';\n",
        'a/002_handle.sql': 'ALTER TABLE accounts ADD COLUMN handle text;\nALTER TABLE accounts ADD CONSTRAINT accounts_handle_uq UNIQUE (handle);\n',
        'b/001_tune.sql': "COMMENT ON INDEX accounts_email_key IS 'lookups by email';\nCOMMENT ON INDEX accounts_handle_uq IS 'by handle';\nCLUSTER accounts USING accounts_pkey;\nREINDEX TABLE accounts;\n",
      },
      twoServices(['accounts']),
    );
    await expectAppliesWhole(topologyFile);
  });

  it('REINDEX INDEX and CLUSTER ... USING run after the file of another set that makes their index', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n',
        'a/002_email.sql': 'CREATE INDEX accounts_email_idx ON accounts (email);\n',
        'b/001_tune.sql': 'REINDEX INDEX accounts_email_idx;\nREINDEX INDEX accounts_pkey;\n',
        'b/002_cluster.sql': 'CLUSTER accounts USING accounts_email_idx;\n',
      },
      twoServices(['accounts']),
    );
    await expectAppliesWhole(topologyFile);
  });
});
