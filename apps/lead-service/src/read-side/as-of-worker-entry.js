// A worker thread starts without the parent's module hooks. Running from source (`npm start`, the
// CLI, jest) it loads the TypeScript through the project's swc hook, as `npm start` does; a build
// starts the compiled as-of-worker.js directly and never reads this file.
'use strict';
require('../../../../scripts/swc-register.js');
require('./as-of-worker.ts');
