import type { CodegenConfig } from '@graphql-codegen/cli';

// The console's operations are checked against the public contract: a contract change that breaks
// one of them fails codegen, and with it the console's typecheck and build. The few server
// extensions it uses are declared beside its operations.
const config: CodegenConfig = {
  schema: ['../contract/schema.graphql', 'src/api/server-extensions.graphql'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
