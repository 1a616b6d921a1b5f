/**
 * What AppSync puts in reach of resolver code: the modules it may import and the globals it
 * may use without importing (`util`, `runtime`, `extensions`: supported-features, "Globals").
 */
import { dynamodbModule } from './modules/dynamodb';
import { createExtensionsModule, createUtil, type InvocationScope, runtimeModule, strict } from './util/index';

export function appSyncModules(currentScope: () => InvocationScope, now?: () => number) {
  const util = createUtil(currentScope, now);
  const globals = { util, runtime: runtimeModule, extensions: createExtensionsModule(currentScope) };
  return {
    modules: {
      '@aws-appsync/utils': strict({ ...globals }, '@aws-appsync/utils'),
      '@aws-appsync/utils/dynamodb': strict(dynamodbModule, '@aws-appsync/utils/dynamodb'),
    },
    globals,
  };
}
