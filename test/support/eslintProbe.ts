// ESLint with this repository's config for probe files that are in no tsconfig (text linted under a
// made-up path, or a tree in a temporary folder): the type-aware rules need a TypeScript project and
// would turn every probe into a parse error, so they are off here. The rules under test are not type-aware.
import { ESLint, type Linter } from 'eslint';

const withoutTypeInformation: Linter.Config = {
  files: ['**/*.ts'],
  languageOptions: { parserOptions: { projectService: false } },
  rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
};

export function probeEslint(options: { cwd: string; overrideConfigFile?: string }): ESLint {
  return new ESLint({ ...options, overrideConfig: [withoutTypeInformation] });
}
