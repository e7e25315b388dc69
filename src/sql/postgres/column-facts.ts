/**
 * Which columns a PostgreSQL statement gives a table, takes away or acts on: read from the parse tree
 * while the statement is read, so the planner can tell that an index, a constraint or an ALTER names a
 * column that no statement creates.
 *
 * @example
 * alterColumnFacts(parse('ALTER TABLE t ADD COLUMN a int, ALTER COLUMN b SET NOT NULL').stmts[0].stmt.AlterTableStmt)
 * // { added: ['a'], used: ['b'] }
 */
import type { ColumnFacts, ConstraintName } from '../effects.js';
import { names, type AstNode } from './ast.js';

/** Commands of ALTER TABLE that act on an existing column named by `name`. */
const ON_COLUMN: ReadonlySet<string> = new Set([
  'AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_ColumnDefault', 'AT_SetStatistics', 'AT_SetStorage', 'AT_SetCompression',
  'AT_AddIdentity', 'AT_SetIdentity', 'AT_DropIdentity', 'AT_DropExpression', 'AT_SetOptions', 'AT_ResetOptions',
]);

/** CREATE TABLE: its columns; `complete` unless some come from elsewhere (LIKE, INHERITS, PARTITION OF, OF type). */
export function createColumnFacts(body: AstNode): ColumnFacts {
  const added: string[] = [];
  let complete = !(body.inhRelations?.length || body.partbound || body.ofTypename);
  const used: string[] = [];
  const indexes: string[] = [];
  const constraints: ConstraintName[] = [];
  const table: string = body.relation?.relname ?? '';
  for (const elt of body.tableElts ?? []) {
    if (elt.ColumnDef) {
      added.push(elt.ColumnDef.colname);
      for (const c of elt.ColumnDef.constraints ?? []) {
        if (!c.Constraint) continue;
        indexes.push(...constraintIndex(c.Constraint, table, [elt.ColumnDef.colname]));
        constraints.push(...constraintName(c.Constraint, table, [elt.ColumnDef.colname]));
      }
    } else if (elt.TableLikeClause) complete = false;
    else if (elt.Constraint) {
      used.push(...constraintColumns(elt.Constraint));
      indexes.push(...constraintIndex(elt.Constraint, table, names(elt.Constraint.keys)));
      constraints.push(...constraintName(elt.Constraint, table, undefined));
    }
  }
  return { added, ...(used.length ? { used: [...new Set(used)] } : {}), ...(complete ? { complete } : {}), ...(indexes.length ? { indexes } : {}), ...(constraints.length ? { constraints } : {}) };
}

/** The index a PRIMARY KEY or UNIQUE constraint makes: its name, or the one PostgreSQL chooses for it. */
function constraintIndex(k: AstNode, table: string, columns: readonly string[]): string[] {
  if (k.contype === 'CONSTR_PRIMARY') return [k.conname ?? chosenName(table, undefined, 'pkey')];
  if (k.contype === 'CONSTR_UNIQUE') return [k.conname ?? chosenName(table, columns.join('_'), 'key')];
  if (k.contype === 'CONSTR_EXCLUSION' && k.conname) return [k.conname];
  return [];
}

const CONSTRAINT_KINDS: Readonly<Record<string, ConstraintName['kind']>> = {
  CONSTR_PRIMARY: 'primary key', CONSTR_UNIQUE: 'unique', CONSTR_EXCLUSION: 'exclusion', CONSTR_FOREIGN: 'foreign key', CONSTR_CHECK: 'check',
};

/**
 * A constraint's name: written, or chosen by PostgreSQL for a primary key, unique or foreign key (`t_pkey`,
 * `t_a_key`, `t_a_fkey`). A CHECK's chosen name depends on its expression and is left out. `column`: the
 * column a column constraint is written on.
 */
function constraintName(k: AstNode, table: string, column: readonly string[] | undefined): ConstraintName[] {
  const kind = CONSTRAINT_KINDS[k.contype];
  if (!kind) return [];
  if (k.indexname) return [{ name: k.conname ?? k.indexname, kind, usingIndex: k.indexname }];
  // A primary key's or unique constraint's columns: what a foreign key to the table may reference.
  const keys = kind === 'primary key' || kind === 'unique' ? column ?? names(k.keys) : [];
  const columns = keys.length > 0 ? { columns: keys } : {};
  if (k.conname) return [{ name: k.conname, kind, ...columns }];
  if (kind === 'primary key') return [{ name: chosenName(table, undefined, 'pkey'), kind, chosen: true, ...columns }];
  if (kind === 'unique') return [{ name: chosenName(table, keys.join('_'), 'key'), kind, chosen: true, ...columns }];
  if (kind === 'foreign key') return [{ name: chosenName(table, (column ?? names(k.fk_attrs)).join('_'), 'fkey'), kind, chosen: true }];
  return [];
}

/**
 * The name PostgreSQL's makeObjectName chooses: `table_middle_label`, the longer of table and middle cut
 * first until it fits in 63 bytes (`posts_pkey`, `accounts_email_key`, `posts_id_seq`).
 */
export function chosenName(table: string, middle: string | undefined, label: string): string {
  const join = (t: string, m: string | undefined) => `${t}${m !== undefined ? `_${m}` : ''}_${label}`;
  let [t, m] = [table, middle];
  while (Buffer.byteLength(join(t, m)) > 63) {
    if (m === undefined || t.length >= m.length) t = t.slice(0, -1);
    else m = m.slice(0, -1);
  }
  return join(t, m);
}

export function alterColumnFacts(body: AstNode): ColumnFacts | undefined {
  const added: string[] = [];
  const dropped: string[] = [];
  const used: string[] = [];
  const indexes: string[] = [];
  const constraints: ConstraintName[] = [];
  const droppedConstraints: string[] = [];
  const retyped: string[] = [];
  const cascaded: string[] = [];
  const bare: string[] = [];
  const optional: string[] = [];
  const notNull: string[] = [];
  const table: string = body.relation?.relname ?? '';
  for (const c of body.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) retyped.push(cmd.name);
    if (cmd.subtype === 'AT_SetNotNull' && cmd.name) notNull.push(cmd.name);
    if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef && needsValue(cmd.def.ColumnDef)) bare.push(cmd.def.ColumnDef.colname);
    if (cmd.subtype === 'AT_DropColumn' && cmd.name && cmd.behavior === 'DROP_CASCADE') cascaded.push(cmd.name);
    if (cmd.subtype === 'AT_DropConstraint' && cmd.name) droppedConstraints.push(cmd.name);
    if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
      added.push(cmd.def.ColumnDef.colname);
      if (cmd.missing_ok) optional.push(cmd.def.ColumnDef.colname);
    }
    else if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
      dropped.push(cmd.name);
      // `DROP COLUMN IF EXISTS` of a column nothing made is fine: only a plain DROP COLUMN claims it exists.
      if (!cmd.missing_ok) used.push(cmd.name);
    }
    else if (ON_COLUMN.has(cmd.subtype) && cmd.name) used.push(cmd.name);
    else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint) {
      used.push(...constraintColumns(cmd.def.Constraint));
      indexes.push(...constraintIndex(cmd.def.Constraint, table, names(cmd.def.Constraint.keys)));
      constraints.push(...constraintName(cmd.def.Constraint, table, undefined));
    }
    if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
      for (const k of cmd.def.ColumnDef.constraints ?? []) {
        if (!k.Constraint) continue;
        indexes.push(...constraintIndex(k.Constraint, table, [cmd.def.ColumnDef.colname]));
        constraints.push(...constraintName(k.Constraint, table, [cmd.def.ColumnDef.colname]));
      }
    }
  }
  const facts = {
    ...(added.length ? { added } : {}), ...(dropped.length ? { dropped: [...new Set(dropped)] } : {}), ...(used.length ? { used: [...new Set(used)] } : {}), ...(indexes.length ? { indexes } : {}),
    ...(constraints.length ? { constraints } : {}), ...(droppedConstraints.length ? { droppedConstraints } : {}),
    ...(retyped.length ? { retyped } : {}), ...(cascaded.length ? { cascaded } : {}), ...(bare.length ? { bare } : {}), ...(optional.length ? { optional } : {}),
    ...(notNull.length ? { notNull } : {}),
  };
  return Object.keys(facts).length ? facts : undefined;
}

/** A column defined NOT NULL with nothing to fill the rows a table has: no DEFAULT, identity, generation or serial type. */
function needsValue(def: AstNode): boolean {
  const kinds = new Set((def.constraints ?? []).map((c: AstNode) => c.Constraint?.contype));
  if (!kinds.has('CONSTR_NOTNULL') && !kinds.has('CONSTR_PRIMARY')) return false;
  return !fillsItself(def);
}

/** Whether a column gets a value in a row that does not give it one: a default, identity, generation or serial type. */
export function fillsItself(def: AstNode): boolean {
  const kinds = new Set((def.constraints ?? []).map((c: AstNode) => c.Constraint?.contype));
  if (kinds.has('CONSTR_DEFAULT') || kinds.has('CONSTR_IDENTITY') || kinds.has('CONSTR_GENERATED')) return true;
  const type = names(def.typeName?.names).pop() ?? '';
  return /^(small|big)?serial[248]?$/.test(type);
}

/** ALTER TABLE ... RENAME COLUMN a TO b. */
export function renameColumnFacts(body: AstNode): ColumnFacts | undefined {
  if (body.renameType !== 'OBJECT_COLUMN' || !body.subname || !body.newname) return undefined;
  return { used: [body.subname], dropped: [body.subname], added: [body.newname] };
}

/** CREATE INDEX: the plain columns it is on (expressions are not columns by name). */
export function indexColumnFacts(body: AstNode): ColumnFacts | undefined {
  const used = (body.indexParams ?? []).map((p: AstNode) => p.IndexElem?.name).filter((n: unknown): n is string => typeof n === 'string');
  for (const p of body.indexIncludingParams ?? []) if (p.IndexElem?.name) used.push(p.IndexElem.name);
  return used.length ? { used: [...new Set(used)] as string[] } : undefined;
}

function constraintColumns(k: AstNode): string[] {
  return [...names(k.keys), ...names(k.fk_attrs), ...names(k.including)];
}
