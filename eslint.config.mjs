// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** What the product (src/) must never import: the simulators, the tooling and the tests live beside it. */
const outsideTheProduct = {
  group: ['**/simulators', '**/simulators/**', '**/scripts/**', '**/test/**'],
  message: 'src/ holds the product only: it never imports simulators/, scripts/ or test/.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.temporal/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [outsideTheProduct] }] },
  },
  {
    // One parse of the environment, with zod (src/config.ts): nothing else reads it.
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node modules, no I/O.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            outsideTheProduct,
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'undici', 'zod'],
              message: 'Workflow code must stay deterministic.',
            },
            {
              group: ['**/providers/**', '**/activities/*', '**/signing/*', '**/domain/input'],
              allowTypeImports: true,
              message: 'Workflows import activity, provider, signing and input types only.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // Every patch is declared in one place, with when it may go (docs/versioning.md).
          selector:
            "CallExpression[callee.name=/^(patched|deprecatePatch)$/]:not([arguments.0.object.name='patches'])",
          message: 'Patch ids come from src/workflows/onboarding/patches.ts: patched(patches.<name>).',
        },
      ],
    },
  },
);
