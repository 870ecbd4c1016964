// Toolkit deploy hook. Builds the folder that is zip-deployed to App Service: the compiled
// dist/, the non-TypeScript files that sit beside the sources (card templates, sign-in pages),
// and production dependencies installed for Linux x64 (the Web App's platform), whatever the OS
// of the machine that deploys.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = process.cwd();
const out = join(root, 'infra', 'build', 'app');
const SOURCE_DIRS = ['bot', 'src'];
const ROOT_FILES = ['package.json', 'package-lock.json', '.npmrc'];

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

if (!existsSync(join(root, 'dist', 'bot', 'index.js'))) {
  console.error('dist/bot/index.js is missing: run `npm run build` first.');
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'dist'), join(out, 'dist'), { recursive: true });

for (const dir of SOURCE_DIRS.filter((d) => existsSync(join(root, d)))) {
  for (const file of filesUnder(join(root, dir)).filter((f) => !f.endsWith('.ts'))) {
    const target = join(out, 'dist', relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}
for (const file of ROOT_FILES.filter((f) => existsSync(join(root, f)))) cpSync(join(root, file), join(out, file));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const install = spawnSync(npm, ['ci', '--omit=dev', '--os=linux', '--cpu=x64', '--no-audit', '--no-fund'], {
  cwd: out,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (install.status !== 0) process.exit(install.status ?? 1);
console.log(`staged ${relative(root, out)}`);
