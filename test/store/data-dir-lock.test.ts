import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/store/data-dir-lock';
import { tempDir } from '../helpers/service';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('lockDataDir', () => {
  it('refuses a directory another live process holds, naming it and the pid', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    cleanups.push(() => {
      holder.kill();
    });
    await writeFile(path.join(dir, 'server.lock'), String(holder.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(
      `the data directory ${dir} is in use by another scoredrive process (pid ${holder.pid})`,
    );
  });

  it('takes over a lock left by a process that died (kill -9)', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(path.join(dir, 'server.lock'), String(dead.pid));
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).not.toThrow(); // same process: its own lock is not "another" holder
    release();
  });

  it('lets the directory be locked again once released', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    lockDataDir(dir)();
    const release = lockDataDir(dir);
    release();
  });
});
