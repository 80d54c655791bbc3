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

// Bare module names as exact paths: a gitignore-style 'fs' pattern would also match the model's own
// src/model/fs/ folder.
const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'perf_hooks'].map((name) => ({
  name,
  message: 'The core is pure: no Node built-ins (Node code lives in src/runtime/).',
}));

/**
 * The model's layers, bottom up: the types and profiles; the substrate (World, drafts, events); the
 * kernel subsystems; the operations; the step engine; the invariants. A layer imports only from those
 * below it (and a subsystem from its siblings), so the model has no import cycle across layers.
 */
const SUBSYSTEMS = ['mm', 'fs', 'block', 'kernel', 'lib', 'io_uring', 'pipe', 'net', 'drivers'];
const modelLayers = [
  {
    files: ['src/model/include/**/*.ts', 'src/model/profile/**/*.ts'],
    above: ['core', ...SUBSYSTEMS, 'ops', 'engine', 'invariants'],
  },
  { files: ['src/model/core/**/*.ts'], above: [...SUBSYSTEMS, 'ops', 'engine', 'invariants'] },
  { files: SUBSYSTEMS.map((d) => `src/model/${d}/**/*.ts`), above: ['ops', 'engine', 'invariants'] },
  { files: ['src/model/ops/**/*.ts'], above: ['engine', 'invariants'] },
  { files: ['src/model/engine/**/*.ts'], above: ['invariants'] },
  { files: ['src/model/invariants/**/*.ts'], above: [] },
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
  ...modelLayers.map(({ files, above }) => ({
    files,
    rules: {
      'no-restricted-globals': ['error', ...impure],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Deterministic: take a seed.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS,
          patterns: [
            {
              group: [
                'node:*',
                '**/check/**',
                '**/cli/**',
                '**/report/**',
                '**/runtime/**',
                '**/scenario/**',
              ],
              message: 'The model is pure: no Node built-ins, no upper layers.',
            },
            ...(above.length > 0
              ? [
                  {
                    group: above.map((d) => `**/${d}/**`),
                    message: "The model's layers import downwards only.",
                  },
                ]
              : []),
          ],
        },
      ],
    },
  })),
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
        {
          paths: NODE_BUILTINS,
          patterns: [
            { group: ['node:*'], message: 'The core is pure: Node code lives in src/runtime/.' },
            { group: ['**/cli/**', '**/report/**', '**/runtime/**'], message: 'Layers flow down only.' },
          ],
        },
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
    files: [
      'eslint.config.js',
      'bench/**/*.mjs',
      'test/fixtures/**/*.mjs',
      'test/fuzz/*.mjs',
      'scripts/*.mjs',
    ],
    ...tseslint.configs.disableTypeChecked,
  },
);
