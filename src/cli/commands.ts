/** Commands beyond validate and plan (apply, verify, status, diff, transition) register here. */
import type { Command } from 'commander';

export function registerMoreCommands(_program: Command, _setExit: (code: number) => void): void {}
