import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResolverBundles } from '../../src/contract/resolver-bundles';
import { MAX_RESOLVER_CODE_CHARACTERS, resolverCodeCharacters } from '../../src/runtime/code-check';
import { resolverBundles } from '../helpers/bundles';

describe('buildResolverBundles', () => {
  it('bundles one ESM file per resolver and function, @aws-appsync/* left external, under the size limit', async () => {
    const bundles = await resolverBundles();
    expect(bundles.map((b) => `${b.typeName}.${b.fieldName}`).sort()).toEqual([
      'Query.score',
      'Query.scoreHistory',
      'Query.scores',
    ]);
    const functions = bundles.flatMap((bundle) => bundle.functions);
    expect(functions.map((f) => f.name).sort()).toEqual([
      'authorize',
      'authorize',
      'authorize',
      'batchGetScores',
      'getScore',
      'queryHistory',
    ]);
    for (const fn of functions) expect(fn.code).toMatch(/from "@aws-appsync\/utils(\/dynamodb)?"/);
    for (const bundle of [...bundles, ...functions]) {
      expect(bundle.code).toBe(await readFile(bundle.bundleFile, 'utf8'));
      expect(resolverCodeCharacters(bundle.code)).toBeLessThanOrEqual(MAX_RESOLVER_CODE_CHARACTERS);
      expect(bundle.code).toMatch(/^export \{/m);
      expect(bundle.code).toContain('//# sourceMappingURL=data:application/json;base64,');
      const map = JSON.parse(Buffer.from(bundle.code.split('base64,')[1], 'base64').toString('utf8'));
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it('fails, naming the file, when a bundle exceeds 32,768 characters', async () => {
    const sourceDir = await mkdtemp(path.join(tmpdir(), 'scoredrive-big-'));
    const padding = 'x'.repeat(32_768);
    await writeFile(
      path.join(sourceDir, 'Query.big.ts'),
      `export function request() { return { payload: '${padding}' }; }\nexport function response(ctx: { result: unknown }) { return ctx.result; }\n`,
    );
    await expect(buildResolverBundles({ sourceDir, outDir: path.join(sourceDir, 'out') })).rejects.toThrow(
      /Query\.big\.js \(\d+ characters\)/,
    );
  });
});
