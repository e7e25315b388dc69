/**
 * A PostgreSQL identifier as the planner writes it into generated SQL: bare
 * when it needs no quotes (lowercase, as the parser folds names), quoted otherwise.
 *
 * @example
 * identifier('shares') // 'shares'
 * identifier('Café')   // '"Café"'
 */
export function identifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
