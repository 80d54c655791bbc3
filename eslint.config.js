// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const impure = [
  { name: 'Date', message: 'The model reads no clock.' },
  { name: 'setTimeout', message: 'The model has no timers.' },
  { name: 'setInterval', message: 'The model has no timers.' },
  { name: 'console', message: 'The model prints nothing: reporters do.' },
  { name: 'process', message: 'The model does no I/O.' },
  { name: 'performance', message: 'The model reads no clock.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'viewer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impure],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Deterministic: take a seed.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          // Bare module names as exact paths: a gitignore-style 'fs' pattern would also match the
          // model's own src/model/fs/ folder.
          paths: ['fs', 'path', 'os', 'child_process'].map((name) => ({
            name,
            message: 'The model is pure: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['node:*', '**/check/**', '**/cli/**', '**/report/**', '**/scenario/**'],
              message: 'The model is pure: no Node built-ins, no upper layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/check/**/*.ts',
      'src/scenario/**/*.ts',
      'src/export/**/*.ts',
      'src/selftests/**/*.ts',
      'src/suite/bisect.ts',
      'src/suite/whatif.ts',
    ],
    rules: {
      'no-restricted-globals': ['error', ...impure],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Deterministic: take a seed.' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/**', '**/report/**'], message: 'Layers flow down only.' }] },
      ],
    },
  },
  {
    // The viewer shows an untrusted trace file: text only, never markup, never code.
    files: ['viewer/**/*.ts', 'viewer/**/*.tsx'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln'].map((property) => ({
          property,
          message: 'The trace is untrusted: render it as text.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'The trace is untrusted: render it as text.',
        },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'bench/**/*.mjs', 'test/fixtures/**/*.mjs', 'test/fuzz/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
