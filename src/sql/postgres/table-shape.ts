/**
 * The shape of a CREATE TABLE: columns with normalised types, nullability,
 * defaults and references, and table constraints, so two definitions of one
 * table can be compared and their difference put into words.
 */
import { deparse } from './deparse.js';
import type { ColumnShape, TableShape } from '../effects.js';
import { names, type AstNode } from './ast.js';

const TYPE_NAMES: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  bpchar: 'char', timestamptz: 'timestamptz', timestamp: 'timestamp', timetz: 'timetz', serial4: 'serial', serial8: 'bigserial',
};

export function typeText(t: AstNode): string {
  const parts = names(t?.names);
  const raw = parts[parts.length - 1] ?? '?';
  const base = TYPE_NAMES[raw] ?? raw;
  const mods = (t?.typmods ?? []).map((m: AstNode) => m?.A_Const?.ival?.ival ?? m?.A_Const?.ival ?? '').filter((x: unknown) => x !== '' && typeof x !== 'object');
  const array = t?.arrayBounds ? '[]'.repeat(t.arrayBounds.length) : '';
  return `${base}${mods.length ? `(${mods.join(',')})` : ''}${array}`;
}

/** Common default expressions printed directly; anything else through the deparser (slower, rarely needed). */
function exprText(node: AstNode): string {
  const simple = simpleExpr(node);
  if (simple !== undefined) return simple;
  try {
    return deparse({ version: 180000, stmts: [{ stmt: { SelectStmt: { targetList: [{ ResTarget: { val: node } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } } }] } as never)
      .replace(/^SELECT\s+/i, '')
      .trim();
  } catch {
    return JSON.stringify(node, (k, v) => (k === 'location' ? undefined : v));
  }
}

function fkText(c: AstNode): string {
  return `${c.pktable?.relname ?? '?'}(${names(c.pk_attrs).join(', ')})`;
}

export function tableShape(create: AstNode): TableShape {
  const columns: ColumnShape[] = [];
  const constraints: string[] = [];
  for (const elt of create.tableElts ?? []) {
    if (elt.ColumnDef) {
      const col = elt.ColumnDef;
      let notNull = false;
      let def: string | undefined;
      let primaryKey = false;
      let unique = false;
      let references: string | undefined;
      for (const c of col.constraints ?? []) {
        const k = c.Constraint;
        if (!k) continue;
        if (k.contype === 'CONSTR_NOTNULL') notNull = true;
        else if (k.contype === 'CONSTR_DEFAULT') def = exprText(k.raw_expr);
        else if (k.contype === 'CONSTR_PRIMARY') { primaryKey = true; notNull = true; }
        else if (k.contype === 'CONSTR_UNIQUE') unique = true;
        else if (k.contype === 'CONSTR_FOREIGN') references = fkText(k);
      }
      const type = typeText(col.typeName);
      if (type === 'serial' || type === 'bigserial') notNull = true;
      columns.push({ name: col.colname, type, notNull, ...(def !== undefined ? { default: def } : {}), ...(primaryKey ? { primaryKey } : {}), ...(unique ? { unique } : {}), ...(references ? { references } : {}) });
    } else if (elt.Constraint) {
      const k = elt.Constraint;
      const keys = names(k.keys).join(', ');
      if (k.contype === 'CONSTR_PRIMARY') constraints.push(`primary key (${keys})`);
      else if (k.contype === 'CONSTR_UNIQUE') constraints.push(`unique (${keys})`);
      else if (k.contype === 'CONSTR_FOREIGN') constraints.push(`foreign key (${names(k.fk_attrs).join(', ')}) references ${fkText(k)}`);
      else if (k.contype === 'CONSTR_CHECK') constraints.push(`check (${exprText(k.raw_expr)})`);
    }
  }
  return { columns, constraints };
}

function simpleExpr(node: AstNode): string | undefined {
  if (node?.A_Const) {
    const c = node.A_Const;
    if (c.isnull) return 'null';
    if (c.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c.fval !== undefined) return String(c.fval.fval);
    if (c.boolval !== undefined) return String(c.boolval.boolval ?? false);
    if (c.sval !== undefined) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
    return undefined;
  }
  if (node?.FuncCall && !(node.FuncCall.args?.length)) return `${names(node.FuncCall.funcname).join('.')}()`;
  if (node?.SQLValueFunction) return String(node.SQLValueFunction.op ?? '').replace(/^SVFOP_/, '').toLowerCase();
  if (node?.TypeCast) {
    const inner = simpleExpr(node.TypeCast.arg);
    return inner === undefined ? undefined : `${inner}::${typeText(node.TypeCast.typeName)}`;
  }
  return undefined;
}
