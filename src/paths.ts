// Where agentrt's own files are (prices, schema, the built agent), whether it runs from src/ under vitest or from
// dist/ after the build: both sit one level below the package root.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let version: string | undefined;
export function agentrtVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
