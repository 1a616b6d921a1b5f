/**
 * What the offline runtime refuses when code loads although AppSync accepts it: features this
 * runtime does not implement, wherever the code names them statically (an import, a
 * `util.xyz` member). Refusing at load says so once, with file and line, instead of letting
 * the code "work" until a caller reaches the line. Uses the runtime can only see when they
 * run (a computed member name) fail then, with the same words.
 *
 * The check asks the very objects resolvers receive, so it cannot drift from what is
 * implemented: a name is unsupported when looking it up in the module table fails.
 */
import type { AppSyncReference } from './code-check';
import type { CodeViolation } from './errors';
import { UnsupportedError } from './errors';
import type { ModuleTable } from './sandbox';

export interface OfflineSupportOptions {
  readonly modules: ModuleTable;
  readonly globals: Record<string, unknown>;
  /** Names refused besides the missing ones, each with why (e.g. subscription filters in a server with no subscriptions). */
  readonly refused?: Readonly<Record<string, string>>;
}

export const OFFLINE_RULE = 'offline-unsupported';

/** Looks `path` up in the table; the UnsupportedError message when a member is missing. */
function missingMember(segments: readonly string[], root: unknown): string | undefined {
  let value = root;
  for (const segment of segments) {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
    try {
      value = Reflect.get(value as object, segment);
    } catch (error) {
      if (error instanceof UnsupportedError) return error.message;
      throw error;
    }
    // A method: what follows is a member of its result, which only running can tell.
    if (typeof value === 'function') return undefined;
  }
  return undefined;
}

function lookup(name: string, options: OfflineSupportOptions): string | undefined {
  for (const [specifier, module] of Object.entries(options.modules)) {
    if (name === specifier || name.startsWith(`${specifier}.`)) {
      const rest = name.slice(specifier.length + 1);
      if (rest === '' || rest === '*' || rest === 'default') return undefined;
      return missingMember(rest.split('.'), module);
    }
  }
  const [root, ...rest] = name.split('.');
  if (root in options.globals) return missingMember(rest, options.globals[root]);
  // A module the table does not have at all: the sandbox names it from its import declaration.
  return undefined;
}

/** Every statically visible use of something the offline runtime does not implement. */
export function offlineSupportViolations(
  references: readonly AppSyncReference[],
  options: OfflineSupportOptions,
): CodeViolation[] {
  const violations: CodeViolation[] = [];
  const seen = new Set<string>();
  for (const reference of references) {
    const refusal = options.refused?.[reference.name];
    const message = refusal
      ? new UnsupportedError(`${reference.name} (${refusal})`).message
      : lookup(reference.name, options);
    if (!message) continue;
    const key = `${reference.file}:${reference.line}:${reference.column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({
      file: reference.file,
      line: reference.line,
      column: reference.column,
      rule: OFFLINE_RULE,
      message,
    });
  }
  return violations;
}
