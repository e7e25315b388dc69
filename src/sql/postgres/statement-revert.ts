/**
 * How one parsed PostgreSQL statement is undone, read from its syntax tree:
 * a CREATE by its DROP, ADD COLUMN by DROP COLUMN, ADD CONSTRAINT by DROP
 * CONSTRAINT (under the name PostgreSQL gives an unnamed one), a rename by
 * the rename back, SET NOT NULL by DROP NOT NULL. What no statement can undo
 * is said with the reason: a change of rows, a drop (the planner may know the
 * definition, or back it up), an enum value added. Statements that change
 * nothing of their own (COMMENT, GRANT, SET, ANALYZE) have no revert.
 *
 * @example
 * statementRevert(parseSync('ALTER TABLE app.accounts ADD COLUMN note text').stmts[0].stmt)
 * // { sql: ['ALTER TABLE app.accounts DROP COLUMN note'] }
 */
import { revertSchema, unqualifiedSchema } from './search-path.js';
import { functionSignature } from './function-signature.js';
import type { StatementRevert } from '../effects.js';
import { names, type AstNode } from './ast.js';
import { chosenName } from './column-facts.js';
import { identifier } from './quote-ident.js';

/** Statements that change no object of their own: what they act on is undone with that object. */
const NOTHING = new Set([
  'CommentStmt', 'GrantStmt', 'GrantRoleStmt', 'AlterOwnerStmt', 'VariableSetStmt', 'SelectStmt', 'VacuumStmt', 'SecLabelStmt',
  'RefreshMatViewStmt', 'AlterDefaultPrivilegesStmt', 'CheckPointStmt', 'NotifyStmt', 'TransactionStmt', 'ReindexStmt', 'ClusterStmt',
]);

const WRITES: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', CopyStmt: 'COPY', TruncateStmt: 'TRUNCATE' };

const RELATION_WORD: Record<string, string> = {
  OBJECT_TABLE: 'TABLE', OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_INDEX: 'INDEX', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
};

/** A name, qualified by its schema when it has one (see revertSchema). */
const q = (parts: readonly (string | undefined)[]) => parts.filter((p): p is string => p !== undefined).map(identifier).join('.');
const rel = (rv: AstNode) => q([rv.schemaname ?? revertSchema(), rv.relname]);
const done = (...sql: string[]): StatementRevert => ({ sql });
const none = (irreversible: string): StatementRevert => ({ irreversible });

export function statementRevert(stmt: AstNode): StatementRevert | undefined {
  const kind = Object.keys(stmt)[0] ?? 'Unknown';
  const b = stmt[kind];
  if (NOTHING.has(kind)) return undefined;
  if (WRITES[kind]) return none(`${WRITES[kind]} changes rows: only a down file can say which to take back`);
  switch (kind) {
    case 'CreateStmt':
      return done(`DROP TABLE ${rel(b.relation)}`);
    case 'CreateTableAsStmt':
      return done(`DROP ${b.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE'} ${rel(b.into.rel)}`);
    case 'ViewStmt':
      return done(`DROP VIEW ${rel(b.view)}`);
    case 'IndexStmt':
      return b.idxname ? done(`DROP INDEX ${q([b.relation.schemaname ?? revertSchema(), b.idxname])}`) : none('the index has no name to drop it by: name it');
    case 'CreateSeqStmt':
      return done(`DROP SEQUENCE ${rel(b.sequence)}`);
    case 'CreateFunctionStmt':
      return done(`DROP ${b.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${q(qualified(names(b.funcname)))}(${functionSignature(b.parameters)})`);
    case 'CompositeTypeStmt':
      return done(`DROP TYPE ${rel(b.typevar)}`);
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return done(`DROP TYPE ${q(qualified(names(b.typeName)))}`);
    case 'CreateDomainStmt':
      return done(`DROP DOMAIN ${q(qualified(names(b.domainname)))}`);
    case 'CreateTrigStmt':
      return done(`DROP TRIGGER ${identifier(b.trigname)} ON ${rel(b.relation)}`);
    case 'CreateEventTrigStmt':
      return done(`DROP EVENT TRIGGER ${identifier(b.trigname)}`);
    case 'CreatePolicyStmt':
      return done(`DROP POLICY ${identifier(b.policy_name)} ON ${rel(b.table)}`);
    case 'RuleStmt':
      return done(`DROP RULE ${identifier(b.rulename)} ON ${rel(b.relation)}`);
    case 'CreateExtensionStmt':
      return done(`DROP EXTENSION ${identifier(b.extname)}`);
    case 'CreatePublicationStmt':
      return done(`DROP PUBLICATION ${identifier(b.pubname)}`);
    case 'AlterPublicationStmt': {
      const tables = (b.pubobjects ?? []).map((o: AstNode) => o.PublicationObjSpec?.pubtable?.relation).filter(Boolean);
      if (b.action !== 'AP_AddObjects' || tables.length !== (b.pubobjects ?? []).length || tables.length === 0) return none('no revert is generated for this ALTER PUBLICATION; write a down file');
      return done(`ALTER PUBLICATION ${identifier(b.pubname)} DROP TABLE ${tables.map(rel).join(', ')}`);
    }
    case 'CreateStatsStmt':
      return b.defnames?.length ? done(`DROP STATISTICS ${q(qualified(names(b.defnames)))}`) : none('the statistics object has no name to drop it by: name it');
    case 'CreateSchemaStmt':
      return b.schemaElts?.length ? done(`DROP SCHEMA ${identifier(b.schemaname)} CASCADE`) : done(`DROP SCHEMA ${identifier(b.schemaname)}`);
    case 'AlterTableStmt':
      return alterTable(b);
    case 'RenameStmt':
      return rename(b);
    case 'AlterObjectSchemaStmt':
      return setSchema(b);
    case 'AlterEnumStmt':
      return b.newVal !== undefined && !b.oldVal ? none(`PostgreSQL cannot remove the enum value '${b.newVal}' it adds`) : done(`ALTER TYPE ${q(qualified(names(b.typeName)))} RENAME VALUE '${esc(b.newVal)}' TO '${esc(b.oldVal)}'`);
    case 'DropStmt':
      return none('it drops what only its earlier definition or a backup brings back');
    case 'DoStmt':
      return none('a DO block: what it does is known only when it runs; write a down file');
    default:
      return none(`no revert is generated for ${kind.replace(/Stmt$/, '')} statements; write a down file`);
  }
}

function alterTable(b: AstNode): StatementRevert | undefined {
  if (b.objtype !== 'OBJECT_TABLE') return none(`no revert is generated for ALTER ${RELATION_WORD[b.objtype] ?? 'TABLE'}; write a down file`);
  const table = rel(b.relation);
  const out: string[] = [];
  // Later commands are undone first.
  for (const c of [...(b.cmds ?? [])].reverse()) {
    const cmd = c.AlterTableCmd;
    const undo = alterCommand(cmd, b.relation.relname);
    if (typeof undo !== 'string') return undo;
    if (undo !== '') out.push(undo);
  }
  if (out.length === 0) return undefined;
  return out.length === 1 ? done(`ALTER TABLE ${table} ${out[0]}`) : done(`ALTER TABLE ${table} ${out.join(', ')}`);
}

/** The clause that undoes one ALTER TABLE command (empty when it changes nothing the plan reverts), or why none does. */
function alterCommand(cmd: AstNode, table: string): string | StatementRevert {
  switch (cmd?.subtype) {
    case 'AT_ChangeOwner':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
      return '';
    case 'AT_AddColumn':
      return `DROP COLUMN ${identifier(cmd.def.ColumnDef.colname)}`;
    case 'AT_AddConstraint': {
      const name = constraintName(cmd.def.Constraint, table);
      return name ? `DROP CONSTRAINT ${identifier(name)}` : none('the constraint has no name to drop it by: name it');
    }
    case 'AT_SetNotNull':
      return `ALTER COLUMN ${identifier(cmd.name)} DROP NOT NULL`;
    case 'AT_DropNotNull':
      return `ALTER COLUMN ${identifier(cmd.name)} SET NOT NULL`;
    case 'AT_EnableRowSecurity':
      return 'DISABLE ROW LEVEL SECURITY';
    case 'AT_DisableRowSecurity':
      return 'ENABLE ROW LEVEL SECURITY';
    case 'AT_DropColumn':
      return none(`it drops column "${cmd.name}": only a backup brings its values back`);
    case 'AT_DropConstraint':
      return none(`it drops constraint "${cmd.name}", whose definition only the file that made it has`);
    default:
      return none(`no revert is generated for ALTER TABLE ${String(cmd?.subtype ?? '').replace(/^AT_/, '')}; write a down file`);
  }
}

/** A constraint's name: as written, or the one PostgreSQL chooses for it (`t_a_fkey`, `t_pkey`). */
function constraintName(k: AstNode, table: string): string | undefined {
  if (k.conname) return k.conname;
  const cols = (list: AstNode) => names(list).join('_');
  switch (k.contype) {
    case 'CONSTR_PRIMARY': return chosenName(table, undefined, 'pkey');
    case 'CONSTR_UNIQUE': return names(k.keys).length ? chosenName(table, cols(k.keys), 'key') : undefined;
    case 'CONSTR_FOREIGN': return names(k.fk_attrs).length ? chosenName(table, cols(k.fk_attrs), 'fkey') : undefined;
    default: return undefined;
  }
}

function rename(b: AstNode): StatementRevert {
  const word = RELATION_WORD[b.renameType];
  if (word && b.relation) return done(`ALTER ${word} ${q([b.relation.schemaname ?? revertSchema(), b.newname])} RENAME TO ${identifier(b.relation.relname)}`);
  if (b.renameType === 'OBJECT_COLUMN' && b.relation) return done(`ALTER ${RELATION_WORD[b.relationType] ?? 'TABLE'} ${rel(b.relation)} RENAME COLUMN ${identifier(b.newname)} TO ${identifier(b.subname)}`);
  if (b.renameType === 'OBJECT_TABCONSTRAINT' && b.relation) return done(`ALTER TABLE ${rel(b.relation)} RENAME CONSTRAINT ${identifier(b.newname)} TO ${identifier(b.subname)}`);
  return none(`no revert is generated for renaming a ${String(b.renameType).replace(/^OBJECT_/, '').toLowerCase()}; write a down file`);
}

/** `ALTER ... SET SCHEMA new` is undone by moving the object back, from its new schema to the one it had. */
function setSchema(b: AstNode): StatementRevert {
  const word = SCHEMA_WORD[b.objectType];
  if (!word) return none(`no revert is generated for moving the ${String(b.objectType).replace(/^OBJECT_/, '').toLowerCase()} to another schema; write a down file`);
  const [from, name] = b.relation ? [b.relation.schemaname ?? unqualifiedSchema(), b.relation.relname] : objectName(b);
  if (from === b.newschema) return { sql: [] };
  const args = b.objectType === 'OBJECT_FUNCTION' || b.objectType === 'OBJECT_PROCEDURE' ? `(${functionSignature(b.object.ObjectWithArgs.objfuncargs)})` : '';
  return done(`ALTER ${word} ${q([b.newschema, name])}${args} SET SCHEMA ${identifier(from)}`);
}

/** What can move to another schema on its own (an index goes with its table). */
const SCHEMA_WORD: Record<string, string> = {
  OBJECT_TABLE: 'TABLE', OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TYPE: 'TYPE', OBJECT_DOMAIN: 'DOMAIN', OBJECT_FUNCTION: 'FUNCTION', OBJECT_PROCEDURE: 'PROCEDURE',
};

function objectName(b: AstNode): [string, string] {
  const parts = names(b.object.List?.items ?? b.object.ObjectWithArgs?.objname ?? []);
  return [parts.length > 1 ? parts[parts.length - 2]! : unqualifiedSchema(), parts[parts.length - 1]!];
}

/** `['f']` → `['public', 'f']` (the schema the search path gives). */
function qualified(parts: string[]): (string | undefined)[] {
  return parts.length > 1 ? parts : [revertSchema(), ...parts];
}

const esc = (s: string) => s.replace(/'/g, "''");
