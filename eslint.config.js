// ESLint flat config. Syntax-only typescript-eslint rules (no type information) to keep `npm run lint` fast;
// `npm run typecheck` is the type check. Formatting belongs to Prettier: eslint-config-prettier comes last.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import {defineConfig, globalIgnores} from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'node_modules/', 'oclif.manifest.json', '.rcdiag-lab/', 'scratch/', 'tmp/']),

  {
    name: 'rcdiag/files',
    files: ['**/*.{ts,js,mjs,cjs}'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {...globals.node},
    },
    linterOptions: {reportUnusedDisableDirectives: 'error'},
  },
  {
    name: 'rcdiag/commonjs',
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'rcdiag/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', {prefer: 'type-imports', fixStyle: 'inline-type-imports'}],
    },
  },
  {
    name: 'rcdiag/src',
    files: ['src/**/*.ts'],
    rules: {
      // Output goes through oclif's this.log / the renderers, never straight to the console.
      'no-console': 'error',
    },
  },
  {
    name: 'rcdiag/src-lib-no-exit',
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'exit',
          message: 'errors are values: throw an RcdiagError; only the base command exits',
        },
      ],
    },
  },

  prettier,
)
