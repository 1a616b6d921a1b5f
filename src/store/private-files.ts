/**
 * The data directory is private to its owner: it holds the table (LevelDB), the API key, the
 * keys that seal pagination tokens and hash driverIds, and the embedded store's credentials.
 * Directories are 0700 and secret files 0600, whatever the umask; files are written atomically,
 * so a crash never leaves half a key and two processes never end up with different keys.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
/** Permission bits for anyone but the owner. */
const OTHERS = 0o077;

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

function warn(message: string): void {
  process.emitWarning(message, { code: 'SCOREDRIVE_PERMISSIONS' });
}

/**
 * Creates `dir` (and its parents) as 0700, or makes an existing one 0700.
 *
 * An existing directory with group or other permissions is tightened when this user owns it
 * and it is not a shared scratch directory (sticky bit, like /tmp): a ScoreDrive data
 * directory readable by others is a leak, and only its owner uses it. A directory that cannot
 * be made private (someone else's, or shared, e.g. `--data-dir /tmp`) is left as it is, with a
 * warning: changing a shared directory's mode would break its other users, and what ScoreDrive
 * keeps in it stays private file by file (secrets 0600, the LevelDB directory 0700).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  const info = await stat(dir);
  if ((info.mode & OTHERS) === 0) return;
  const ours = typeof process.getuid !== 'function' || info.uid === process.getuid();
  const shared = (info.mode & 0o1000) !== 0;
  if (ours && !shared) {
    await chmod(dir, PRIVATE_DIR);
    warn(`${dir} was ${octal(info.mode)}, readable by other users; made private (0700)`);
    return;
  }
  warn(
    `${dir} is ${octal(info.mode)} and ${ours ? 'shared' : 'belongs to another user'}, so it stays so; ` +
      'the files ScoreDrive keeps there are private, but use a data directory of your own',
  );
}

/**
 * Reads a secret file; undefined when it does not exist. A file readable by others (from an
 * older version, or copied in) is made 0600 first, with a warning: it may have been read.
 */
export async function readPrivateFile(file: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    if ((info.mode & OTHERS) !== 0) {
      await handle.chmod(PRIVATE_FILE);
      warn(`${file} was ${octal(info.mode)}, readable by other users; made private (0600): consider replacing it`);
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes a secret file, mode 0600, atomically: the content goes to a temporary file (created
 * exclusively, synced), which then becomes `file` in one step. With `replace` false (the
 * default) `file` is created only if absent (a hard link, which fails on an existing name), and
 * the result says whether it was: false means another process wrote it first, so read theirs.
 * With `replace` it takes the place of whatever is there (a rename).
 */
export async function writePrivateFile(
  file: string,
  content: string,
  options: { replace?: boolean } = {},
): Promise<boolean> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', PRIVATE_FILE);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await (options.replace ? rename(temporary, file) : link(temporary, file));
    } catch (error) {
      if (!options.replace && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await syncDir(path.dirname(file));
    return true;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Makes a new directory entry durable; not possible everywhere (Windows), so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the entry is written; only its durability across a power cut is not guaranteed
  }
}

/**
 * Makes everything this process creates from now on private to its owner (umask 077), in the
 * main thread and in worker threads alike (the umask belongs to the process): LevelDB's files,
 * logs, rejects files, checkpoints. Call it once, at CLI start, before anything is written;
 * worker threads cannot set it. Returns the previous umask.
 */
export function restrictUmask(): number {
  return process.umask(OTHERS);
}
