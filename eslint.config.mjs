import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.local/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['botbuilder', 'botbuilder-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'], message: 'Only bot/ may import the bot SDKs.' },
          { group: ['**/emulators/**', '**/tests/**'], message: 'Production code never imports emulators or tests.' },
        ],
      }],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/emulators/**', '**/tests/**'], message: 'Production code never imports emulators or tests.' }],
      }],
    },
  },
);
