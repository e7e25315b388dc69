/**
 * A PostgreSQL function's input argument types, as DROP FUNCTION takes them and as
 * they tell its overloads apart (`norm(text)` and `norm(integer)` are two functions).
 *
 * @example
 * functionSignature(createFunctionStmt.parameters) // 'text, int4[]'
 */
import { names, type AstNode } from './ast.js';
import { identifier } from './quote-ident.js';

export function functionSignature(params: AstNode[] | undefined): string {
  return (params ?? [])
    .map((p: AstNode) => p.FunctionParameter)
    .filter((p: AstNode) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p: AstNode) => {
      const t = names(p.argType.names);
      const base = t[0] === 'pg_catalog' ? t[1]! : t.map(identifier).join('.');
      return `${base}${'[]'.repeat((p.argType.arrayBounds ?? []).length)}`;
    })
    .join(', ');
}
