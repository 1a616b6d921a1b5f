/** `scoredrive …` run as a user runs it, to its end: what it printed and how it exited. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/contract/project-paths';

export interface CommandRun {
  /** The exit code, or the signal that ended it. */
  readonly code: number | string | null;
  readonly out: string;
  readonly err: string;
}

export function runScoredrive(args: readonly string[]): Promise<CommandRun> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/scoredrive.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  // 'close', not 'exit': the output is all read by then.
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: signal ?? code, out, err })));
}
