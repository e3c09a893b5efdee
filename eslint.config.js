import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
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
  {
    ignores: [
      '.tmp-test/**',
      '.venv-python/**',
      'dist/**',
      'node_modules/**',
      'out/**',
      'test-results/**',
      'coverage/**',
    ],
  },
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
  // The preload runs sandboxed in the window: the shared contracts' types and Electron's IPC, nothing
  // that would pull the engine (or zod) into every page.
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '**/main/**', '**/cli/**', '**/renderer/**'],
              message: 'the preload may import electron/shared only.',
            },
            {
              group: ['zod', 'zod/*'],
              message: 'the preload validates nothing; main does, with the API table.',
            },
          ],
        },
      ],
    },
  },
  // The window: Vue single-file components, checked with TypeScript; browser globals.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['renderer/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['renderer/src/**/*.{ts,vue}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        history: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        EventSource: 'readonly',
        MessageEvent: 'readonly',
        performance: 'readonly',
        requestAnimationFrame: 'readonly',
        localStorage: 'readonly',
        getComputedStyle: 'readonly',
      },
    },
    rules: {
      // Formatting is prettier's job.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      // The renderer reaches the engine only through the Bridge: shared contracts, never node or the engine.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the renderer talks to the engine only through the Bridge.' }],
          patterns: [
            { group: ['node:*'], message: 'the renderer runs in a browser: no node modules.' },
            {
              group: ['**/electron/engine/**', '**/electron/main/**', '**/electron/cli/**'],
              message: 'the renderer talks to the engine only through the Bridge (electron/shared types).',
            },
          ],
        },
      ],
    },
  },
);
