#!/usr/bin/env node
// Tiny shim: all logic lives in dist/ (built from src/ by `npm run build`).
import('../dist/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write('agentrt: the build is missing. Run `npm run build` first (or `npm ci`, which builds).\n');
    process.exit(3);
  }
  throw err;
});
