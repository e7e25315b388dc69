export { analyzePostgres, loadPostgresParser, type Analysis } from './analyze-postgres.js';
export { stripForeignKeys, type ForeignKeyInfo } from './strip-foreign-keys.js';
