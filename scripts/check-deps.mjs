// `npm run deps` (a step of `npm run check`): the engine's structure. Cruises electron/ with
// dependency-cruiser and fails on
// - any violation of the rules in .dependency-cruiser.js (the engine's front door, and the rest);
// - any import cycle between first-level folders of electron/engine, test files left out. The files
//   right in electron/engine count as one folder, "(root)". dependency-cruiser's own `circular`
//   rule sees cycles of modules only; here every module becomes its folder, and each cycle among
//   the folders is listed with one import behind each of its steps.
// `node scripts/check-deps.mjs --root DIR` checks the electron/ folder under DIR instead (the test
// of this script does, on a small tree it writes).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cruise } from 'dependency-cruiser';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE = 'electron/engine/';
const TEST_FILE = /\.test\.[cm]?[jt]s$/;

/** The first-level folder of electron/engine a module is in; undefined outside the engine. */
export function engineFolder(source) {
  if (!source.startsWith(ENGINE)) return undefined;
  const rest = source.slice(ENGINE.length).split('/');
  return rest.length === 1 ? '(root)' : rest[0];
}

/** Folder → folder → one import (`from → to`) that makes the edge. Test files left out. */
export function folderGraph(modules) {
  const graph = new Map();
  for (const module of modules) {
    const from = engineFolder(module.source);
    if (from === undefined || TEST_FILE.test(module.source)) continue;
    for (const dependency of module.dependencies) {
      const to = engineFolder(dependency.resolved);
      if (to === undefined || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, `${module.source} → ${dependency.resolved}`);
    }
  }
  return graph;
}

/** The shortest cycle through each folder that is on one, each cycle once (as [a, b, …, a]). */
export function folderCycles(graph) {
  const next = (folder) => [...(graph.get(folder)?.keys() ?? [])].sort();
  const cycles = new Map();
  for (const start of [...graph.keys()].sort()) {
    // Breadth first from `start` until it is reached again: the shortest way back.
    const cameFrom = new Map();
    const queue = [start];
    let found = false;
    while (queue.length > 0 && !found) {
      const folder = queue.shift();
      for (const to of next(folder)) {
        if (to === start) {
          const cycle = [start];
          for (let at = folder; at !== start; at = cameFrom.get(at)) cycle.splice(1, 0, at);
          cycle.push(start);
          // One key per cycle, whichever folder it was found from.
          const ring = cycle.slice(0, -1);
          const first = ring.indexOf([...ring].sort()[0]);
          const key = [...ring.slice(first), ...ring.slice(0, first)].join(' → ');
          if (!cycles.has(key)) cycles.set(key, cycle);
          found = true;
          break;
        }
        if (!cameFrom.has(to)) {
          cameFrom.set(to, folder);
          queue.push(to);
        }
      }
    }
  }
  return [...cycles.values()];
}

/** Cruises `root`/electron: each problem as lines of text, none when the structure holds. */
export async function checkDependencies(root = REPO) {
  const config = (await import(pathToFileURL(path.join(REPO, '.dependency-cruiser.js')).href)).default;
  const { output } = await cruise(['electron'], {
    ...config.options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  const problems = output.summary.violations.map(
    (v) => `${v.rule.name}: ${v.from} → ${v.to}${v.rule.severity === 'error' ? '' : ` (${v.rule.severity})`}`,
  );
  const graph = folderGraph(output.modules);
  for (const cycle of folderCycles(graph)) {
    const steps = cycle.slice(1).map((to, i) => `    ${graph.get(cycle[i]).get(to)}`);
    problems.push(`folder cycle in electron/engine: ${cycle.join(' → ')}\n${steps.join('\n')}`);
  }
  const folders = new Set(output.modules.map((m) => engineFolder(m.source)).filter(Boolean));
  return { problems, modules: output.modules.length, folders: folders.size };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root = at === -1 ? REPO : path.resolve(process.argv[at + 1] ?? '.');
  const started = performance.now();
  const { problems, modules, folders } = await checkDependencies(root);
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (problems.length > 0) {
    console.error(`deps: ${problems.length} problem(s) (.dependency-cruiser.js, scripts/check-deps.mjs):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log(
      `deps: ${modules} modules, the engine's front door kept, no cycle among ${folders} engine folders (${took})`,
    );
  }
}
