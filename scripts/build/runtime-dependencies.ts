import fs from 'node:fs';
import path from 'node:path';

/** Where Node would find `name` when required from `fromDir` (walks up node_modules folders, as npm lays them out). */
function locatePackage(name: string, fromDir: string, root: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) break;
  }
  throw new Error(`runtime dependency ${name} (needed from ${fromDir}) is not installed: run npm install`);
}

/**
 * Copies the production dependency closure of `names` into `target`, keeping each package at the same path
 * relative to node_modules that npm gave it, so nested duplicates still resolve exactly as they do here.
 * Returns how many packages were copied.
 */
export function copyRuntimeDependencies(root: string, names: string[], target: string): number {
  const rootModules = path.join(root, 'node_modules');
  const seen = new Set<string>();
  const queue = names.map((name) => locatePackage(name, root, root));
  while (queue.length) {
    const dir = queue.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const dep of Object.keys(deps)) {
      try {
        queue.push(locatePackage(dep, dir, root));
      } catch (err) {
        if (!(manifest.optionalDependencies && dep in manifest.optionalDependencies)) throw err;
      }
    }
  }
  for (const dir of seen) {
    const relative = path.relative(rootModules, dir);
    fs.cpSync(dir, path.join(target, relative), {
      recursive: true,
      // Nested node_modules are copied as packages of their own, only when something needs them.
      filter: (src) => !path.relative(dir, src).split(path.sep).includes('node_modules'),
    });
  }
  return seen.size;
}
