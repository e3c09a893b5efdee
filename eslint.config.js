import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layering: the engine and the shared contracts run headless, so they must never
// reach into Electron or the UI layers.
const layeringRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['electron', 'electron/*'], message: 'engine/shared must not import Electron.' },
        {
          group: ['**/main/**', '**/main', '**/preload/**', '**/renderer/**', '**/renderer'],
          message: 'engine/shared must not import the main process, preload or renderer.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['.tmp-test/**', 'dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['electron/engine/**/*.ts', 'electron/shared/**/*.ts'], rules: layeringRule },
);
