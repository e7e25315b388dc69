import { describe, expect, it } from 'vitest';
import { addColumnsDdl, loadableColumns, tableDdl } from '../../../../src/engines/postgres/table-ddl.js';
import { restoreKey } from '../../../../src/engines/postgres/backup-postgres.js';
import type { TableObject } from '../../../../src/engines/schema-objects.js';

// As the inspection reports it: server spellings, a quoted name, serial, identity and generated columns.
const orders: TableObject = {
  kind: 'table',
  name: 'billing.Orders',
  columns: [
    { name: 'id', type: 'bigint', nullable: false, default: "nextval('billing.\"Orders_id_seq\"'::regclass)" },
    { name: 'ref', type: 'integer', nullable: false, generated: 'identity always' },
    { name: 'total', type: 'numeric(12,2)', nullable: true, default: '0' },
    { name: 'total x2', type: 'numeric', nullable: true, default: '(total * (2)::numeric)', generated: 'stored' },
    { name: 'customer_id', type: 'bigint', nullable: false },
  ],
  constraints: [
    { name: 'Orders_customer_id_fkey', type: 'foreign key', columns: ['customer_id'], definition: 'FOREIGN KEY (customer_id) REFERENCES billing.customers(id)', references: { table: 'billing.customers', columns: ['id'] } },
    { name: 'Orders_pkey', type: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)' },
    { name: 'total_positive', type: 'check', columns: ['total'], definition: 'CHECK (total >= 0::numeric)' },
  ],
};
const sequences = [
  { name: 'billing.Orders_id_seq', type: 'bigint', start: '1', increment: '1', column: 'id', lastValue: '41', isCalled: true },
  { name: 'billing.Orders_ref_seq', type: 'integer', start: '1', increment: '1', column: 'ref', lastValue: '7', isCalled: false },
];

describe('table definitions as SQL', () => {
  it('recreates schema, serial sequence, table and keys; foreign keys, indexes, triggers and sequence values after the rows', () => {
    const ddl = tableDdl({
      table: orders,
      indexes: [
        { kind: 'index', name: 'billing.Orders_pkey', table: 'billing.Orders', definition: 'CREATE UNIQUE INDEX "Orders_pkey" ON billing."Orders" USING btree (id)', unique: true, constraint: 'Orders_pkey' },
        { kind: 'index', name: 'billing.orders_total_idx', table: 'billing.Orders', definition: 'CREATE INDEX orders_total_idx ON billing."Orders" USING btree (total)', unique: false },
      ],
      triggers: [{ kind: 'trigger', name: 'billing.Orders.touch', table: 'billing.Orders', definition: 'CREATE TRIGGER touch BEFORE UPDATE ON billing."Orders" FOR EACH ROW EXECUTE FUNCTION billing.touch()', function: 'billing.touch' }],
      sequences,
    });
    expect(ddl.create).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "billing"',
      'CREATE SEQUENCE IF NOT EXISTS "billing"."Orders_id_seq" AS bigint START 1 INCREMENT 1',
      [
        'CREATE TABLE "billing"."Orders" (',
        `  "id" bigint DEFAULT nextval('billing."Orders_id_seq"'::regclass) NOT NULL,`,
        '  "ref" integer GENERATED ALWAYS AS IDENTITY NOT NULL,',
        '  "total" numeric(12,2) DEFAULT 0,',
        '  "total x2" numeric GENERATED ALWAYS AS ((total * (2)::numeric)) STORED,',
        '  "customer_id" bigint NOT NULL,',
        '  CONSTRAINT "Orders_pkey" PRIMARY KEY (id),',
        '  CONSTRAINT "total_positive" CHECK (total >= 0::numeric)',
        ')',
      ].join('\n'),
      'ALTER SEQUENCE "billing"."Orders_id_seq" OWNED BY "billing"."Orders"."id"',
    ]);
    expect(ddl.after).toEqual([
      'ALTER TABLE "billing"."Orders" ADD CONSTRAINT "Orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES billing.customers(id)',
      'CREATE INDEX orders_total_idx ON billing."Orders" USING btree (total)',
      'CREATE TRIGGER touch BEFORE UPDATE ON billing."Orders" FOR EACH ROW EXECUTE FUNCTION billing.touch()',
      `SELECT setval('"billing"."Orders_id_seq"', 41, true)`,
      `SELECT setval(pg_get_serial_sequence('"billing"."Orders"', 'ref'), 7, false)`,
    ]);
  });

  it('a partition is created as one, in its parent', () => {
    const part: TableObject = { kind: 'table', name: 'public.events_2026', columns: [{ name: 'at', type: 'date', nullable: false }], constraints: [], partitionOf: { table: 'public.events', bound: "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')" } };
    expect(tableDdl({ table: part, indexes: [], triggers: [], sequences: [] }).create).toEqual([`CREATE TABLE "public"."events_2026" PARTITION OF "public"."events" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`]);
  });

  it('adds columns back nullable, then their default, NOT NULL, identity and constraints', () => {
    expect(addColumnsDdl(orders, ['total', 'customer_id', 'total x2'])).toEqual({
      create: [
        'ALTER TABLE "billing"."Orders" ADD COLUMN "total" numeric(12,2)',
        'ALTER TABLE "billing"."Orders" ADD COLUMN "total x2" numeric GENERATED ALWAYS AS ((total * (2)::numeric)) STORED',
        'ALTER TABLE "billing"."Orders" ADD COLUMN "customer_id" bigint',
      ],
      after: [
        'ALTER TABLE "billing"."Orders" ALTER COLUMN "total" SET DEFAULT 0',
        'ALTER TABLE "billing"."Orders" ALTER COLUMN "customer_id" SET NOT NULL',
        'ALTER TABLE "billing"."Orders" ADD CONSTRAINT "Orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES billing.customers(id)',
        'ALTER TABLE "billing"."Orders" ADD CONSTRAINT "total_positive" CHECK (total >= 0::numeric)',
      ],
    });
    expect(addColumnsDdl(orders, ['ref'], sequences).after).toEqual([
      'ALTER TABLE "billing"."Orders" ALTER COLUMN "ref" SET NOT NULL',
      'ALTER TABLE "billing"."Orders" ALTER COLUMN "ref" ADD GENERATED ALWAYS AS IDENTITY',
      `SELECT setval(pg_get_serial_sequence('"billing"."Orders"', 'ref'), 7, false)`,
    ]);
  });

  it('loads every column but generated ones; restores by primary key, else a unique key of NOT NULL columns', () => {
    expect(loadableColumns(orders)).toEqual(['id', 'ref', 'total', 'customer_id']);
    expect(restoreKey(orders)).toEqual(['id']);
    const unique = (nullable: boolean): TableObject => ({
      kind: 'table', name: 'public.tags', columns: [{ name: 'slug', type: 'text', nullable }, { name: 'label', type: 'text', nullable: true }],
      constraints: [{ name: 'tags_slug_key', type: 'unique', columns: ['slug'], definition: 'UNIQUE (slug)' }],
    });
    expect(restoreKey(unique(false))).toEqual(['slug']);
    expect(restoreKey(unique(true))).toBeUndefined();
  });
});
