/** Commands beyond validate and plan register here, one file each. */
import type { Command } from 'commander';
import { applyCommand } from './apply-command.js';
import { diffCommand } from './diff-command.js';
import { statusCommand } from './status-command.js';
import { transitionCommand } from './transition-command.js';
import { verifyCommand } from './verify-command.js';

export function registerMoreCommands(program: Command, setExit: (code: number) => void): void {
  applyCommand(program, setExit);
  verifyCommand(program, setExit);
  diffCommand(program, setExit);
  statusCommand(program, setExit);
  transitionCommand(program, setExit);
}
