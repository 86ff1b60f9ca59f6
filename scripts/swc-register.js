// `node -r ./scripts/swc-register.js file.ts` runs the project's TypeScript straight from source
// (`npm run cli`, and the services the CLI and crash tests spawn): swc strips types with the
// options of jest.config.ts and @lead/* resolve through the paths of tsconfig.json. No build step
// and no TypeScript compiler at start: about 0.5 s, where ts-node needs 2 s or more.
// `npm run typecheck` is what checks the types.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

// stack traces point into the .ts sources
process.setSourceMapsEnabled(true);

const root = path.resolve(__dirname, '..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    alias,
    path.join(root, compilerOptions.baseUrl ?? '.', `${target}.ts`),
  ]),
);

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  return originalResolve.call(this, aliases.get(request) ?? request, ...rest);
};

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};
