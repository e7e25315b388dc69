/**
 * Generates a synthetic system for the planning benchmark: N services with
 * F migration files each (tables with foreign keys, indexes, trigger
 * functions and triggers, seeds); services sharing the first store reference a
 * core `accounts` table by foreign key (the others hold account ids, as
 * services in their own databases do); about 1 KB of SQL per file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function generateSystem(dir: string, services: number, filesPerService: number): { topologyFile: string; bytes: number; files: string[] } {
  let bytes = 0;
  const files: string[] = [];
  const sets: Record<string, unknown> = {};
  const svcs: Record<string, unknown> = {};
  for (let s = 0; s < services; s++) {
    const name = `svc-${String(s).padStart(4, '0')}`;
    const setDir = `services/${name}/migrations`;
    mkdirSync(join(dir, setDir), { recursive: true });
    for (let f = 1; f <= filesPerService; f++) {
      const text = fileSql(s, f);
      const path = join(dir, setDir, `${String(f).padStart(3, '0')}_step_${f}.sql`);
      writeFileSync(path, text);
      files.push(path);
      bytes += Buffer.byteLength(text);
    }
    sets[name] = { dir: setDir };
    svcs[name] = { stores: { postgres: `db${s % 8}` }, sets: [name], ...(s === 0 ? { owns: ['accounts'] } : {}) };
  }
  const stores: Record<string, unknown> = {};
  for (let i = 0; i < Math.min(8, services); i++) stores[`db${i}`] = { engine: 'postgres', database: `bench_${i}` };
  const topologyFile = join(dir, 'topology.yaml');
  writeFileSync(topologyFile, stringify({ topoplan: 1, name: `bench-${services}x${filesPerService}`, stores, sets, services: svcs }));
  return { topologyFile, bytes, files };
}

function fileSql(s: number, f: number): string {
  const t = `s${s}_t${f}`;
  const prev = `s${s}_t${f - 1}`;
  const core = s === 0 && f === 1;
  const lines = [
    `-- service ${s}, migration ${f}: ${core ? 'core accounts table' : `table ${t}`}`,
    core
      ? `CREATE TABLE accounts (\n  id bigint PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`
      : '',
    `CREATE TABLE ${t} (\n  id bigserial PRIMARY KEY,\n  account_id bigint NOT NULL${s % 8 === 0 ? ' REFERENCES accounts(id)' : ''},\n  ${f > 1 ? `parent_id bigint REFERENCES ${prev}(id) ON DELETE CASCADE,` : 'parent_id bigint,'}\n  title varchar(200) NOT NULL,\n  body text,\n  score numeric(10, 2) NOT NULL DEFAULT 0,\n  tags text[] NOT NULL DEFAULT '{}',\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);`,
    `CREATE INDEX idx_${t}_account ON ${t} (account_id, created_at DESC);`,
    `CREATE INDEX idx_${t}_title ON ${t} (lower(title));`,
    `CREATE OR REPLACE FUNCTION ${t}_touch() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at := now();\n  UPDATE ${t} SET score = score + 1 WHERE id = NEW.parent_id;\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;`,
    `CREATE TRIGGER trg_${t}_touch BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${t}_touch();`,
    `COMMENT ON TABLE ${t} IS 'records of service ${s}, step ${f}';`,
    `INSERT INTO ${t} (account_id, title, body) VALUES (1, 'seed', 'seed row'), (2, 'seed', 'another seed row');`,
  ];
  return lines.filter(Boolean).join('\n\n') + '\n';
}
