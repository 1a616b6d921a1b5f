// ESLint runs only the AppSync rules, on resolvers/: they know what the APPSYNC_JS runtime
// rejects (recursion, unsupported methods, function passing) and need type information.
// Everything else, resolvers included, is linted and formatted by Biome (biome.json).
import appsync from '@aws-appsync/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['resolvers/**/*.ts', 'test/fixtures/**/*.ts'],
  extends: [appsync.configs.recommended],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
  },
});
