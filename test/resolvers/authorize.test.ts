/**
 * The shared permission step (resolvers/lib/authorize.ts) in front of every Query field: each
 * Query resolver is a pipeline whose first function is `authorize` over NONE, and that function
 * admits or refuses the caller before any table read. Tested as AWS documents testing code:
 * EvaluateCode on the deployed bundle with a context (test-resolvers), here offline; the
 * refusal is util.unauthorized, whose EvaluateCode answer is `Unauthorized` (localstack's
 * recording, cited in test/conformance/evaluate-code.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { READ_SCOPE as RESOLVER_READ_SCOPE } from '../../resolvers/lib/authorize';
import { READ_SCOPE } from '../../src/contract/auth-modes';
import { PROJECT_ROOT } from '../../src/contract/project-paths';
import { loadSchema, rootFields } from '../../src/contract/schema';
import { evaluateCode } from '../../src/evaluate/index';
import { bundleForTest, fieldBundle, resolverBundles } from '../helpers/bundles';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

async function evaluate(code: string, context: Record<string, unknown>, fn: 'request' | 'response' = 'request') {
  const out = await evaluateCode({ runtime, code, context: JSON.stringify(context), function: fn });
  return { error: out.error?.message, result: out.evaluationResult && JSON.parse(out.evaluationResult) };
}

async function authorizeCode(field: string): Promise<string> {
  const step = (await fieldBundle(field)).functions.find((f) => f.name === 'authorize');
  if (!step) throw new Error(`${field} has no authorize function`);
  return step.code;
}

const info = (fieldName: string) => ({ fieldName, parentTypeName: 'Query', variables: {} });
const oidc = (scope?: string) => ({
  sub: 'client-1',
  issuer: 'https://issuer.example',
  claims: scope === undefined ? { client_id: 'client-1' } : { client_id: 'client-1', scope },
});

describe('every Query field reads the table only after the authorize step', () => {
  it('is a pipeline with authorize over none first and one read over scores after it', async () => {
    const queryFields = rootFields(await loadSchema()).filter((field) => field.startsWith('Query.'));
    const bundles = await resolverBundles();
    expect(queryFields.length).toBeGreaterThan(0);
    for (const field of queryFields) {
      const bundle = bundles.find((b) => `${b.typeName}.${b.fieldName}` === field);
      expect(bundle?.kind, field).toBe('pipeline');
      const steps = bundle?.functions.map((f) => `${f.name}.[${f.dataSource}]`) ?? [];
      expect(steps[0], field).toBe('authorize.[none]');
      expect(
        steps.slice(1).filter((step) => step.endsWith('[scores]')),
        field,
      ).toHaveLength(1);
    }
  });
});

describe('authorize through EvaluateCode', () => {
  it.each(['score', 'scoreHistory', 'scores'])(
    'Query.%s admits an API-key caller (no identity) and passes the previous result on',
    async (field) => {
      const out = await evaluate(await authorizeCode(`Query.${field}`), {
        arguments: { driverId: 'D1' },
        identity: null,
        info: info(field),
        prev: { result: { from: 'before' } },
        stash: {},
      });
      expect(out).toEqual({ error: undefined, result: { from: 'before' } });
    },
  );

  it('admits an OIDC caller whose token carries the read scope, and refuses one whose token does not', async () => {
    for (const field of ['score', 'scoreHistory', 'scores']) {
      const code = await authorizeCode(`Query.${field}`);
      const context = (identity: unknown) => ({ arguments: {}, identity, info: info(field), prev: { result: {} } });
      expect((await evaluate(code, context(oidc('openid scoredrive/scores.read')))).error, field).toBeUndefined();
      for (const identity of [oidc(), oidc(''), oidc('scoredrive/scores.write')]) {
        expect((await evaluate(code, context(identity))).error, field).toBe('Unauthorized');
      }
    }
  });

  it('admits an IAM caller, who carries no token: IAM policies decide on AWS', async () => {
    const iam = {
      accountId: '000000000000',
      userArn: 'arn:aws:iam::000000000000:user/scoredrive',
      sourceIp: ['127.0.0.1'],
    };
    const out = await evaluate(await authorizeCode('Query.score'), {
      arguments: {},
      identity: iam,
      info: info('score'),
      prev: { result: {} },
    });
    expect(out.error).toBeUndefined();
  });

  it('refuses a field that has no permission written down, as util.unauthorized does', async () => {
    const out = await evaluate(await authorizeCode('Query.score'), {
      arguments: {},
      identity: null,
      info: info('newField'),
      prev: { result: {} },
    });
    expect(out).toEqual({ error: 'Unauthorized', result: undefined });
  });
});

describe('scopes', () => {
  it('asks for the contract’s read scope, the one the token endpoint grants and REST requires', () => {
    expect(RESOLVER_READ_SCOPE).toBe(READ_SCOPE);
  });

  // The helpers the step is made of, bundled as a resolver would bundle them.
  const probe = bundleForTest({
    stdin: {
      contents: `
        import { admits, callerScopes } from './resolvers/lib/authorize';
        export function request(ctx) {
          return { scopes: callerScopes(ctx), admitted: admits({ scopes: ['scores/read', 'scores/history'] }, callerScopes(ctx)) };
        }
        export function response(ctx) { return ctx.prev.result; }`,
      resolveDir: PROJECT_ROOT,
      sourcefile: 'authorize-probe.ts',
      loader: 'ts',
    },
  }).then((files) => (files[0] as { code: string }).code);

  it.each([
    ['a token with every scope needed, among others', oidc('openid scores/history scores/read'), true],
    ['a token missing one scope', oidc('scores/read'), false],
    ['a token without a scope claim', oidc(), false],
    ['an API-key caller (no token: no scopes to check)', null, true],
    ['an IAM caller (no token)', { accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/x' }, true],
  ])('%s: admitted %s', async (_name, identity, admitted) => {
    const out = await evaluate(await probe, { arguments: {}, identity, info: info('score') });
    expect(out.error).toBeUndefined();
    expect(out.result.admitted).toBe(admitted);
  });

  it('reads the space-separated scope claim of an access token into its scopes', async () => {
    const out = await evaluate(await probe, { arguments: {}, identity: oidc(' a  b '), info: info('score') });
    expect(out.result.scopes).toEqual(['a', 'b']);
  });
});
