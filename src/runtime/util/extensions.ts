/**
 * `extensions`: cache eviction and subscription filters and invalidation.
 * https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html
 *
 * Offline there is no server-side cache and no subscription, so each call checks its
 * arguments as AppSync does and then changes nothing: evicting from an API without a cache,
 * or invalidating subscriptions nobody holds, has nothing to act on. The subscription
 * filters have a meaning only in a subscription resolver, which the offline server never
 * runs, so the server refuses them when code loads (EvaluateCode, which runs any handler,
 * checks and accepts them).
 */
import { ResolverError } from '../errors';
import type { OperationState } from '../operation-state';
import { SUBSCRIPTION_FILTER_LIMITS, validateInvalidation, validateSubscriptionFilter } from './subscription-filter';

/** Refused when a server loads code: where they only mean something, in a subscription resolver. */
export const SUBSCRIPTION_ONLY = {
  'extensions.setSubscriptionFilter': 'there are no subscriptions offline',
  'extensions.setSubscriptionInvalidationFilter': 'there are no subscriptions offline',
};

function requireString(name: string, value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`extensions.${name} expects ${what} as a non-empty string`);
  }
}

export function createExtensions(currentOperation: () => OperationState) {
  return {
    /** "Evicts an item from the AWS AppSync server-side cache." */
    evictFromApiCache(typeName: unknown, fieldName: unknown, keyValuePair: unknown): void {
      requireString('evictFromApiCache', typeName, 'the type name');
      requireString('evictFromApiCache', fieldName, 'the field name');
      if (keyValuePair === null || typeof keyValuePair !== 'object' || Array.isArray(keyValuePair)) {
        throw new TypeError('extensions.evictFromApiCache expects the caching keys as an object');
      }
    },
    setSubscriptionFilter(filter: unknown): void {
      validateSubscriptionFilter(filter, 'extensions.setSubscriptionFilter');
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      validateSubscriptionFilter(filter, 'extensions.setSubscriptionInvalidationFilter');
    },
    /**
     * "You can only use at most five unique extensions.invalidateSubscriptions() method calls
     * in any single request. If you exceed this limit, you will receive a GraphQL error."
     */
    invalidateSubscriptions(invalidation: unknown): void {
      const checked = validateInvalidation(invalidation);
      const { invalidations } = currentOperation();
      invalidations.add(JSON.stringify(checked));
      if (invalidations.size > SUBSCRIPTION_FILTER_LIMITS.invalidationsPerRequest) {
        throw new ResolverError(
          `at most ${SUBSCRIPTION_FILTER_LIMITS.invalidationsPerRequest} unique extensions.invalidateSubscriptions() calls are allowed in one request`,
          'BadRequest',
        );
      }
    },
  };
}
