// ESLint for the TypeScript of the emulator, the simulator, the tests, the bench and the scripts.
// Svelte files are checked by svelte-check (npm run typecheck); import boundaries by dependency-cruiser.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'renderer/**/*.svelte', 'electron/api/central/generated/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // The test config covers electron/, simulator/, bench/ and test/; preload.ts has its own CommonJS config.
        project: ['./tsconfig.test.json', './tsconfig.preload.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware rules that catch real bugs: a promise nobody awaits or supervises, a promise where a value is meant.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The UI's TypeScript, on its own (browser) config; work nobody awaits goes through lib/background.ts.
    files: ['renderer/**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./renderer/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read response bodies as a client reads JSON; their shape is checked against the spec, not the type.
      '@typescript-eslint/no-explicit-any': 'off',
      // A test waits for a condition (vi.waitFor, expect.poll, Playwright's auto-waiting) or moves a clock, never for a fixed time.
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Promise'] > ArrowFunctionExpression > CallExpression[callee.name=/^(setTimeout|setImmediate)$/]",
          message: 'A fixed sleep in a test: wait for a condition with vi.waitFor / expect.poll, or move the simulated or fake clock.',
        },
        {
          selector: "CallExpression[callee.property.name='waitForTimeout']",
          message: 'A fixed sleep in a test: wait for what the user would see (Playwright assertions auto-wait).',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
);
