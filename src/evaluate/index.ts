/**
 * `scoredrive/evaluate`: AppSync's EvaluateCode without an AWS account.
 *
 *   import { evaluateCode } from 'scoredrive/evaluate';
 *   const out = await evaluateCode({ runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
 *     code, context: JSON.stringify({ arguments: { id: '1' } }), function: 'request' });
 *   JSON.parse(out.evaluationResult);
 *
 * `offlineAppSyncClient()` answers `send(new EvaluateCodeCommand(input))` like the SDK's
 * AppSyncClient, so tests written against AWS run offline with one line changed.
 */
import { type EvaluateOptions, evaluateCode } from './evaluate-code';
import type { EvaluateCodeCommandInput, EvaluateCodeCommandOutput } from './shapes';

export { BadRequestException } from './bad-request';
export { type EvaluateOptions, evaluateCode } from './evaluate-code';
export type * from './shapes';

/** What `send` accepts: an SDK EvaluateCodeCommand, or anything carrying its `input`. */
export interface EvaluateCodeCommandLike {
  readonly input: EvaluateCodeCommandInput;
}

export interface OfflineAppSyncClient {
  send(command: EvaluateCodeCommandLike): Promise<EvaluateCodeCommandOutput>;
  destroy(): void;
}

export function offlineAppSyncClient(options: EvaluateOptions = {}): OfflineAppSyncClient {
  return {
    send(command) {
      const name = (command as { constructor?: { name?: string } }).constructor?.name;
      if (name && name !== 'Object' && name !== 'EvaluateCodeCommand') {
        return Promise.reject(new TypeError(`the offline AppSync client runs EvaluateCodeCommand only, not ${name}`));
      }
      return evaluateCode(command.input, options);
    },
    destroy() {},
  };
}
