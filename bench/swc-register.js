// Loads the bench's TypeScript (and the project's) without type-checking: swc strips types with
// the same options as jest.config.ts, and @lead/* aliases resolve as in tsconfig.json. Unlike
// ts-node it never loads the TypeScript compiler, so child processes measure the app's RSS, not
// the compiler's. Compiled output is cached in memory per process only.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const aliases = {
  '@lead/domain': 'libs/lead-domain/src/lead-domain.ts',
  '@lead/event-store': 'libs/event-store/src/event-store.ts',
  '@lead/read-models': 'libs/read-models/src/read-models.ts',
  '@lead/messaging': 'libs/messaging/src/messaging.ts',
  '@lead/testing': 'libs/testing/src/testing.ts',
  '@lead/runtime': 'libs/runtime/src/runtime.ts',
};

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const target = aliases[request];
  return originalResolve.call(this, target ? path.join(root, target) : request, ...rest);
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
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
