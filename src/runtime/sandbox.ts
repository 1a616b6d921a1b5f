/**
 * Loads an APPSYNC_JS bundle into its own V8 context, where `@aws-appsync/utils` and
 * `@aws-appsync/utils/dynamodb` resolve to this runtime's implementation and nothing else
 * (no require, process, network or file system; no eval or Function constructor) is reachable.
 */
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import { checkResolverCode } from './code-check';
import { CodeRejectedError, UnsupportedError } from './errors';

export type Handler = (ctx: unknown) => unknown;

export interface LoadedResolver {
  readonly file: string;
  readonly request: Handler;
  readonly response: Handler;
}

/** The modules a bundle may import, by specifier. */
export type ModuleTable = Record<string, object>;

export interface SandboxOptions {
  /** `@aws-appsync/utils` and friends, as the bundle will import them. */
  readonly modules: ModuleTable;
  /** Globals AppSync provides besides the language built-ins (util, runtime, extensions, console). */
  readonly globals: Record<string, unknown>;
}

/**
 * Checks the code as AppSync's deploy would, then evaluates it. The ESM bundle is converted
 * to a CommonJS function body (esbuild, format only: the code itself is unchanged) because
 * vm's ESM support still needs --experimental-vm-modules on Node 20.
 */
export function loadResolver(code: string, file: string, options: SandboxOptions): LoadedResolver {
  const violations = checkResolverCode(code, file);
  if (violations.length > 0) {
    throw new CodeRejectedError(file, violations);
  }
  const commonjs = transformSync(code, { format: 'cjs', loader: 'js', sourcefile: file, sourcemap: 'inline' }).code;
  const context = vm.createContext(
    { ...options.globals },
    { name: file, codeGeneration: { strings: false, wasm: false } },
  );
  const wrapper = new vm.Script(`(function (exports, require, module) {\n${commonjs}\n})`, {
    filename: file,
    lineOffset: -1,
  }).runInContext(context) as (exports: object, require: (id: string) => object, module: object) => void;
  const module = { exports: {} as Record<string, unknown> };
  const requireModule = (id: string): object => {
    const found = options.modules[id];
    if (!found) {
      throw new UnsupportedError(`import of '${id}' (APPSYNC_JS provides only @aws-appsync/* modules)`);
    }
    return found;
  };
  wrapper(module.exports, requireModule, module);
  const { request, response } = module.exports;
  if (typeof request !== 'function' || typeof response !== 'function') {
    throw new Error(`${file}: a resolver must export functions named request and response`);
  }
  return { file, request: request as Handler, response: response as Handler };
}
