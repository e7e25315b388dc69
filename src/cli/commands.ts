/** Commands beyond validate and plan register here, one file each. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import { adoptCommand } from './adopt-command.js';
import { applyCommand } from './apply-command.js';
import { checkCommand } from './check-command.js';
import { diffCommand } from './diff-command.js';
import { initCommand } from './init-command.js';
import { restoreCommand } from './restore-command.js';
import { rollbackCommand } from './rollback-command.js';
import { statusCommand } from './status-command.js';
import { stopCommand } from './stop-command.js';
import { transitionCommand } from './transition-command.js';
import { unlockCommand } from './unlock-command.js';
import { urlCommand } from './url-command.js';
import { verifyCommand } from './verify-command.js';

export function registerMoreCommands(program: Command, ctx: CliContext): void {
  initCommand(program, ctx);
  applyCommand(program, ctx);
  adoptCommand(program, ctx);
  checkCommand(program, ctx);
  verifyCommand(program, ctx);
  diffCommand(program, ctx);
  statusCommand(program, ctx);
  transitionCommand(program, ctx);
  unlockCommand(program, ctx);
  restoreCommand(program, ctx);
  rollbackCommand(program, ctx);
  urlCommand(program, ctx);
  stopCommand(program, ctx);
}
