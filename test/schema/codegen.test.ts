import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/contract/project-paths';

describe('generated types', () => {
  it('match what codegen.yml produces from the schema today (run `npm run codegen` when this fails)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: path.join(PROJECT_ROOT, 'codegen.yml') });
    const outputs = await generate({ ...config, cwd: PROJECT_ROOT, silent: true }, false);
    const expected = outputs.find((o: { filename: string }) => o.filename.endsWith('src/generated/graphql.ts'));
    expect(expected).toBeDefined();
    const committed = await readFile(path.join(PROJECT_ROOT, 'src/generated/graphql.ts'), 'utf8');
    expect(committed).toBe(expected?.content);
  });
});
