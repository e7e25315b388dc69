/**
 * `${VAR}` and `${VAR:-default}` in store URLs, from an injected environment.
 *
 * @example
 * expandEnv('${NOVA_PG_URL:-postgres://localhost/nova}', {}) // { value: 'postgres://localhost/nova', missing: [] }
 */
export function expandEnv(text: string, env: Record<string, string | undefined>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g, (_, name: string, hasDefault: string | undefined, def: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (hasDefault !== undefined) return def ?? '';
    missing.push(name);
    return '';
  });
  return { value, missing };
}
