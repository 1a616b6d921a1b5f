/**
 * `extensions` (https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html) offline:
 * arguments checked as AppSync checks them; nothing cached or subscribed to act on; the
 * subscription filters refused when a server loads them.
 */
import { describe, expect, it } from 'vitest';
import { UnsupportedCodeError } from '../../src/runtime/errors';
import { evaluateHandler } from '../conformance/run';
import { probeResolver } from '../helpers/runtime';

const code = (body: string) =>
  `import { util, extensions, runtime } from '@aws-appsync/utils';\nexport function request(ctx) {\n  ${body}\n  return runtime.earlyReturn({ done: true });\n}\nexport function response(ctx) { return ctx.result; }`;

describe('extensions in a running API', () => {
  it("evictFromApiCache accepts the page's call and changes nothing", async () => {
    const outcome = await probeResolver(
      code("extensions.evictFromApiCache('Query', 'allClasses', { 'context.arguments.semester': ctx.args.semester });"),
    )({ semester: 'fall' });
    expect(outcome).toEqual({ value: { done: true }, errors: [] });
  });

  it('evictFromApiCache refuses arguments of the wrong kind', async () => {
    const outcome = await probeResolver(code("extensions.evictFromApiCache('Query', 'allClasses', 'semester');"))();
    expect(outcome.errors[0].message).toMatch(
      /TypeError: extensions\.evictFromApiCache expects the caching keys as an object/,
    );
  });

  it("invalidateSubscriptions accepts the page's invalidation and allows at most five distinct ones per request", async () => {
    const one =
      "extensions.invalidateSubscriptions({ subscriptionField: 'onUserDelete', payload: { group: 'Developer', type: 'Full-Time' } });";
    expect((await probeResolver(code(one))()).errors).toEqual([]);
    const six = [1, 2, 3, 4, 5, 6]
      .map((n) => `extensions.invalidateSubscriptions({ subscriptionField: 'onUserDelete', payload: { n: ${n} } });`)
      .join('\n  ');
    const outcome = await probeResolver(code(six))();
    expect(outcome.errors[0].message).toContain('at most 5 unique extensions.invalidateSubscriptions() calls');
    const sameTwice = [1, 2, 3, 4, 5, 6].map(() => one).join('\n  ');
    expect((await probeResolver(code(sameTwice))()).errors).toEqual([]);
  });

  it('refuses the subscription filters when the code loads: the API runs no subscription resolver', () => {
    const load = () =>
      probeResolver(code('extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ a: { eq: 1 } }));'));
    expect(load).toThrow(UnsupportedCodeError);
    expect(load).toThrow(
      /Query\.probe\.js:3:\d+ unsupported in the offline runtime: extensions\.setSubscriptionFilter \(there are no subscriptions offline\)/,
    );
  });
});

describe('extensions in EvaluateCode, which runs any handler', () => {
  it('checks and accepts a subscription filter built with toSubscriptionFilter', async () => {
    const out = await evaluateHandler(
      code(
        "extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ severity: { ge: 7 }, priority: { in: ['high', 'medium'] } }));",
      ),
      {},
      'request',
    );
    expect(out.error).toBeUndefined();
    expect(out.evaluationResult).toBe('{"done":true}');
  });

  it('answers a malformed filter with an error naming the extension', async () => {
    const out = await evaluateHandler(
      code("extensions.setSubscriptionInvalidationFilter({ filterGroup: 'x' });"),
      {},
      'request',
    );
    expect(out.error?.message).toContain('extensions.setSubscriptionInvalidationFilter');
  });
});
