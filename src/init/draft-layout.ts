/**
 * Who a migration directory belongs to, read from its path: the first path
 * part that is not a generic word (`migrations`, `db`, `sql`, `clickhouse`,
 * `services`, ...) names its service (`social-service/db/migrations` →
 * `social-service`, `services/users/migrations` → `users`);
 * a path through a legacy word (`backend`, `legacy`, `monolith`, `shared`,
 * `common`) makes a shared set that belongs to no service; a path of generic
 * words only (`migrations`, `delta`) belongs to the repository's own service,
 * named after its directory. Set names are short and unique: the service's
 * name without `-service` when it has one set.
 *
 * @example
 * draftLayout(['backend/migrations', 'social-service/migrations'], 'nova')
 * // sets: [{ name: 'legacy', dir: 'backend/migrations', shared: true }, { name: 'social', dir: 'social-service/migrations', service: 'social-service' }]
 */

export interface DraftSet {
  readonly name: string;
  readonly dir: string;
  readonly shared: boolean;
  /** The service that runs the set; undefined for a shared set. */
  readonly service?: string;
}

export interface DraftLayout {
  readonly sets: readonly DraftSet[];
  /** Services by name, each with its sets in path order. */
  readonly services: ReadonlyMap<string, readonly string[]>;
}

const LEGACY: ReadonlySet<string> = new Set(['backend', 'legacy', 'monolith', 'shared', 'common', 'old']);

const GENERIC: ReadonlySet<string> = new Set([
  'migrations', 'migration', 'migrate', 'db', 'database', 'databases', 'sql', 'schema', 'schemas', 'delta', 'deltas', 'ddl',
  'changelog', 'changesets', 'flyway', 'sqlx', 'dbmate', 'goose', 'postgres', 'postgresql', 'pg', 'clickhouse', 'ch',
  'neo4j', 'cypher', 'src', 'resources', 'main', 'full', 'data', 'up', 'versions',
  // Directories that hold services rather than being one: `services/users/migrations` is the users service.
  'services', 'apps', 'packages', 'crates', 'modules', 'components', 'projects', 'internal', 'pkg', 'cmd',
]);

/** A name the topology schema accepts: lowercase letters, digits, `_` and `-`, starting with a letter. */
export function topologyName(text: string): string {
  const n = text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return n || 'app';
}

export function draftLayout(dirs: readonly string[], rootName: string): DraftLayout {
  const placed = dirs.map((dir) => {
    const parts = dir === '.' ? [] : dir.split('/');
    if (parts.some((p) => LEGACY.has(p.toLowerCase()))) return { dir, parts, shared: true as const };
    const at = parts.findIndex((p) => !GENERIC.has(p.toLowerCase()));
    const service = topologyName(at >= 0 ? parts[at]! : rootName);
    return { dir, parts: at >= 0 ? parts.slice(at + 1) : parts, shared: false as const, service, ofRoot: at < 0 };
  });
  const taken = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; taken.has(n); i++) n = `${name}-${i}`;
    taken.add(n);
    return n;
  };
  const legacyCount = placed.filter((p) => p.shared).length;
  const sets: DraftSet[] = [];
  const services = new Map<string, string[]>();
  for (const p of placed) {
    if (p.shared) {
      sets.push({ name: unique(legacyCount === 1 ? 'legacy' : topologyName(p.parts.filter((x) => !GENERIC.has(x.toLowerCase())).join('-'))), dir: p.dir, shared: true });
      continue;
    }
    const base = p.service.replace(/[-_]service$/, '') || p.service;
    const ofService = placed.filter((q) => !q.shared && q.service === p.service).length;
    const rest = p.parts.join('-');
    const name = unique(ofService === 1 || rest === '' ? base : topologyName(p.ofRoot ? rest : `${base}-${rest}`));
    sets.push({ name, dir: p.dir, shared: false, service: p.service });
    services.set(p.service, [...(services.get(p.service) ?? []), name]);
  }
  return { sets, services };
}
