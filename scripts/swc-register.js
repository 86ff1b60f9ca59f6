// `node -r ./scripts/swc-register.js file.ts` runs the project's TypeScript straight from source
// (`npm run cli`, the services the CLI and crash tests spawn, the benchmarks): swc strips types
// with the options of jest.config.ts and @lead/* resolve through the paths of tsconfig.json. No
// build step and no TypeScript compiler at start; `npm run typecheck` is what checks the types.
// Compiled files are cached in node_modules/.cache/swc-register and swc itself is loaded only on a
// cache miss, so a warm start carries neither the compiler nor swc's native binary (~30 MiB, which
// matters where the benchmarks measure a child's peak RSS). Inline source maps are kept; run
// with --enable-source-maps for stack traces into the .ts sources.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'swc-register');
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
const optionsKey = JSON.stringify(swcOptions);

let swc = null;
const compile = (filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(optionsKey).update(filename).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    swc ??= require('@swc/core');
    const { code } = swc.transformSync(source, { ...swcOptions, filename });
    fs.mkdirSync(cacheDir, { recursive: true });
    // write-then-rename: concurrent processes never read half a file
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
    return code;
  }
};

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(compile(filename), filename);
};

/** Compiles these files into the cache now (the bench does so before measuring children). */
const precompile = (filenames) => {
  for (const filename of filenames) compile(filename);
};

module.exports = { precompile };
