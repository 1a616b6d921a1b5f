/**
 * File-system and gzip failures in words an operator acts on: which file, doing what, and what
 * the system said ("no space left on device while writing scores.csv.rejects.csv"), instead of
 * Node's "ENOSPC: no space left on device, write" that names neither.
 */

/** What the errno codes a load can meet mean, as short phrases. */
const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large for its file system',
  EIO: 'an I/O error (the disk or its connection may be failing)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENAMETOOLONG: 'the file name is too long',
  ESTALE: 'a stale network file handle',
  ENXIO: 'no such device',
};

/** Codes that mean the disk cannot take more data (as opposed to a wrong path or permission). */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

export function isDiskFull(error: unknown): boolean {
  return DISK_FULL.has(errnoCode(error) ?? '');
}

/** Codes that say the path itself is wrong, whatever was being done with it. */
const PATH_PROBLEMS = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

/**
 * "no space left on device while writing <file>" ("<file>: no such file or directory" for a
 * wrong path), or undefined when `error` is not a file-system error.
 */
export function describeFileError(error: unknown, doing: string, file: string): string | undefined {
  const code = errnoCode(error);
  if (!code) return undefined;
  const words = ERRNO_WORDS[code] ?? `${code} (${(error as Error).message})`;
  return PATH_PROBLEMS.has(code) ? `${file}: ${words}` : `${words} while ${doing} ${file}`;
}

/** A failure to read or write a file, named. `cause` keeps the system's own error. */
export class FileAccessError extends Error {
  override readonly name = 'FileAccessError';
  constructor(
    message: string,
    readonly file: string,
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Runs `action`, turning a file-system error into a FileAccessError naming `file`. */
export async function naming<T>(doing: string, file: string, action: () => Promise<T> | T): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw nameFileError(error, doing, file);
  }
}

/** The same for synchronous code. */
export function namingSync<T>(doing: string, file: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw nameFileError(error, doing, file);
  }
}

export function nameFileError(error: unknown, doing: string, file: string): unknown {
  if (error instanceof FileAccessError) return error;
  const message = describeFileError(error, doing, file);
  return message ? new FileAccessError(message, file, errnoCode(error) as string, { cause: error }) : error;
}

/**
 * zlib's errors on a damaged gzip file: "unexpected end of file" when the data stops before the
 * end of the gzip stream (a cut-short download or copy), the others when bytes are wrong.
 */
export function describeGzipError(
  error: unknown,
  file: string,
  compressedBytes: number,
): { message: string; truncated: boolean } | undefined {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === 'Z_BUF_ERROR' || message === 'unexpected end of file') {
    return {
      truncated: true,
      message: `${file}: the gzip data is truncated after ${compressedBytes} bytes (the file was cut short: copy or download it again)`,
    };
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT' || code === 'Z_STREAM_ERROR') {
    return {
      truncated: false,
      message: `${file}: the gzip data is corrupt (${message}) within its first ${compressedBytes} bytes`,
    };
  }
  return undefined;
}
