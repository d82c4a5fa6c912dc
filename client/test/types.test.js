import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const tsc = here('../node_modules/typescript/bin/tsc');

test('the TypeScript declarations compile under --strict and describe the client as used', () => {
  assert.ok(existsSync(tsc), 'typescript is installed (npm ci)');
  const output = execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', here('types/usage.ts')], { encoding: 'utf8' });
  assert.equal(output, '');
});
