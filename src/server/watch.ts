/**
 * `serve --watch`: a change under the watched folders reloads the resolvers. Changes are
 * gathered for a short quiet time (an editor's save is several events), reloads never overlap,
 * and a change during a reload is followed by one more reload, so the last edit always lands.
 * Node's own recursive fs.watch (inotify on Linux): no polling and no dependency needed.
 */
import { type FSWatcher, watch } from 'node:fs';

export interface WatchOptions {
  /** Quiet time after the last change before reloading, in ms. */
  readonly debounceMs?: number;
  readonly onReloaded?: (ms: number) => void;
  readonly onFailed?: (error: unknown) => void;
}

export function watchAndReload(dirs: readonly string[], reload: () => Promise<void>, options: WatchOptions = {}) {
  const debounceMs = options.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  /** A change seen whose reload has not started yet. */
  let pending = false;
  let running: Promise<void> | undefined;
  let again = false;

  const run = async (): Promise<void> => {
    const started = performance.now();
    try {
      await reload();
      options.onReloaded?.(performance.now() - started);
    } catch (error) {
      options.onFailed?.(error);
    }
  };
  const trigger = () => {
    pending = false;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await run();
      } while (again);
      running = undefined;
    })();
  };
  const changed = () => {
    pending = true;
    clearTimeout(timer);
    timer = setTimeout(trigger, debounceMs);
  };
  const watchers: FSWatcher[] = dirs.map((dir) => watch(dir, { recursive: true }, changed));
  return {
    /** Resolves when no reload is running or pending. */
    async settled(): Promise<void> {
      while (pending || running) {
        await (running ?? new Promise((resolve) => setTimeout(resolve, debounceMs)));
      }
    },
    close(): void {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
