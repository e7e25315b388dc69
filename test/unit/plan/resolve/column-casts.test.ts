import { describe, expect, it } from 'vitest';
import { errorsOf, planTwoServices } from '../../../helpers/project.js';
import { castsAutomatically } from '../../../../src/plan/resolve/column-casts.js';

const errors = async (files: Record<string, string>) => errorsOf(await planTwoServices(files));

describe('castsAutomatically', () => {
  it.each([
    ['integer', 'bigint', true], ['numeric(10,2)', 'integer', true], ['integer', 'varchar(20)', true], ['uuid', 'text', true],
    ['date', 'timestamptz', true], ['timestamptz', 'date', true], ['json', 'jsonb', true], ['time', 'interval', true],
    ['text', 'integer', false], ['varchar(40)', 'uuid', false], ['integer', 'boolean', false], ['boolean', 'integer', false],
    ['date', 'time', false], ['bigint', 'timestamptz', false], ['jsonb', 'bytea', false],
    ['text[]', 'integer[]', undefined], ['mood', 'text', undefined], ['citext', 'integer', undefined],
  ])('%s to %s: %s', (from, to, expected) => {
    expect(castsAutomatically(from, to)).toBe(expected);
  });
});

describe('ALTER COLUMN TYPE between types with no automatic cast', () => {
  const TABLE = "CREATE TABLE users (id int PRIMARY KEY, email text, status text DEFAULT 'open', seen date);\n";

  it('without USING, or with a default that cannot follow: errors naming the column and both types', async () => {
    expect(await errors({ 'a/001.sql': TABLE, 'b/001.sql': 'ALTER TABLE users ALTER COLUMN email TYPE integer;\nALTER TABLE users ALTER COLUMN status TYPE integer USING 0;\n' })).toEqual([
      ['plan.column_cast', 'b/001.sql:1', 'plan: "ALTER TABLE users" at "b/001.sql:1" changes column "email" from text to integer, and PostgreSQL cannot cast its values, with no USING, from one to the other by itself', 'say how: ALTER TABLE users ALTER COLUMN email TYPE integer USING email::integer'],
      ['plan.column_cast', 'b/001.sql:2', 'plan: "ALTER TABLE users" at "b/001.sql:2" changes column "status" from text to integer, and PostgreSQL cannot cast its default (\'open\', "a/001.sql:1") from one to the other by itself', "drop the default first and set one of the new type after: ALTER COLUMN status DROP DEFAULT, ALTER COLUMN status TYPE integer USING ..., ALTER COLUMN status SET DEFAULT ..."],
    ]);
  });

  it.each([
    ['USING and no default', 'ALTER TABLE users ALTER COLUMN email TYPE integer USING length(email);\n'],
    ['a cast PostgreSQL has', 'ALTER TABLE users ALTER COLUMN seen TYPE timestamptz, ALTER COLUMN id TYPE bigint;\n'],
    ['a column another ALTER changed first', "ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\nALTER TABLE users ALTER COLUMN status TYPE integer USING 0;\n"],
    ['a type the rule does not know', "CREATE TYPE mood AS ENUM ('ok');\nALTER TABLE users ALTER COLUMN email TYPE mood USING 'ok';\n"],
  ])('%s plans', async (_name, change) => {
    expect(await errors({ 'a/001.sql': TABLE, 'b/001.sql': change })).toEqual([]);
  });
});
