import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Configuration, FileSet } from 'electron-builder';
import picomatch from 'picomatch';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// electron-builder.yml checked the way electron-builder reads it (its own JSON schema), then used for
// real: a Linux `dir` build with a stand-in Electron binary, whose fuse wire electron-builder flips.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESOURCES = path.join(REPO, 'resources');
const config = parse(readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as Configuration;
// The Linux binary's name (not `switchboard`, which is the CLI's).
const executable = config.linux?.executableName ?? 'switchboard-app';
const packageJson = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  main?: string;
  version?: string;
};

/** What every fuse must be in a release build. */
const RELEASE_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;

/** The same fuses by their place on Electron's fuse wire (@electron/fuses). */
const WIRE_INDEX: Record<keyof typeof RELEASE_FUSES, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

let validator: ValidateFunction | undefined;

function schemaErrors(data: unknown): string[] {
  // As electron-builder itself validates (util/config/schemaValidator): its schema uses a
  // non-standard `typeof` keyword, which strict mode would refuse to compile.
  const validate = (validator ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(path.join(REPO, 'node_modules/app-builder-lib/scheme.json'), 'utf8')),
  ));
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

function extraResourceSets(): FileSet[] {
  const sets = config.extraResources;
  expect(Array.isArray(sets), 'extraResources is a list of file sets').toBe(true);
  return (sets as (FileSet | string)[]).filter((set): set is FileSet => typeof set === 'object');
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", () => {
    const errors = schemaErrors(config);
    expect(errors, `electron-builder.yml does not match scheme.json:\n${errors.join('\n')}`).toEqual([]);
  });

  it('is checked strictly enough to catch a misspelt option', () => {
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    expect(schemaErrors(misspelt).join('\n')).toMatch(/electronFuses.*additionalProperty.*runAsnode/);
    expect(schemaErrors({ ...config, linux: { ...config.linux, categroy: 'x' } })).not.toEqual([]);
  });

  it('names the app with a reverse-DNS appId', () => {
    expect(config.appId).toBe('dev.switchboard.app');
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/);
    // The deb links the Linux binary into /usr/bin: it must not shadow the `switchboard` CLI.
    expect(config.linux?.executableName).toBe('switchboard-app');
    expect(config.productName).toBe('Switchboard');
  });

  it('sets every fuse for a release build', () => {
    expect(config.electronFuses).toEqual(RELEASE_FUSES);
  });

  it('packs the built app only: no source maps, no node_modules', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', '!dist/**/*.map', '!node_modules/**']));
    expect(config.directories).toEqual({ output: 'release', buildResources: 'resources' });
  });

  it('ships icons that exist: every extraResources filter matches a file in resources/', () => {
    const files = readdirSync(RESOURCES);
    const sets = extraResourceSets();
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) {
      expect(set.from).toBe('resources');
      expect(set.to).toBe('icons');
      const filters = Array.isArray(set.filter) ? set.filter : [set.filter ?? '**/*'];
      expect(filters).toEqual(expect.arrayContaining(['tray-*', 'icon.*']));
      for (const filter of filters) {
        expect(
          files.filter((file) => picomatch(filter)(file)),
          `resources/${filter}`,
        ).not.toEqual([]);
      }
    }
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(icon).toBeTruthy();
      expect(existsSync(path.join(REPO, icon!)), icon!).toBe(true);
    }
  });
});

// --- A real `electron-builder --linux dir` run, offline, with a stand-in Electron binary. ---

// @electron/fuses: the wire follows this sentinel; a fuse is the byte '1' when on, '0' when off.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_ON = '1'.charCodeAt(0);
const temp = mkdtempSync(path.join(os.tmpdir(), 'sb-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A file with Electron's fuse wire in its stock state (v1, 8 fuses), for electron-builder to flip. */
function fakeElectronDist(): string {
  const dir = mkdtempSync(path.join(temp, 'electron-'));
  const wire = Buffer.from('10110001'); // runAsNode, nodeOptions, inspect, file:// privileges on
  writeFileSync(
    path.join(dir, 'electron'),
    Buffer.concat([Buffer.from(`#!/bin/sh\nexit 0\n# ${SENTINEL}`), Buffer.from([1, wire.length]), wire]),
    { mode: 0o755 },
  );
  return dir;
}

/** Runs electron-builder; `signal` (the test's) stops it if the test times out. */
function electronBuilder(args: string[], signal: AbortSignal): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'node_modules/electron-builder/cli.js'), ...args],
      {
        cwd: REPO,
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
        signal,
      },
    );
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.on('error', (err) => (log += `\n${String(err)}`));
    child.on('exit', (code) => resolve({ code, log }));
  });
}

async function packageLinuxDir(signal: AbortSignal, extraArgs: string[] = []): Promise<string> {
  const output = mkdtempSync(path.join(temp, 'release-'));
  const { code, log } = await electronBuilder(
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${fakeElectronDist()}`,
      `-c.directories.output=${output}`,
      ...extraArgs,
    ],
    signal,
  );
  expect(code, log).toBe(0);
  return path.join(output, 'linux-unpacked');
}

async function fuseStates(binary: string): Promise<Record<string, boolean>> {
  const wire = await getCurrentFuseWire(binary);
  return Object.fromEntries(
    Object.entries(WIRE_INDEX).map(([name, index]) => [name, wire[index] === FUSE_ON]),
  );
}

const notBuilt = [packageJson.main ?? 'package.json "main"', 'dist/renderer/index.html', 'dist/cli/main.js']
  .filter((file) => !existsSync(path.join(REPO, file)))
  .join(', ');
const cannotPackage = notBuilt ? `not built (${notBuilt} missing): run \`npm run build\` first` : undefined;

// Each packaging run takes 4-5 s on an idle two-core machine and many times that on a loaded one,
// where vitest's 30 s default was missed. This bound only catches a hang, far beyond what any busy
// machine needs; if it is hit, the test's signal stops electron-builder.
describe('electron-builder --linux dir with this config', { timeout: 300_000 }, () => {
  it('packs the bundles into app.asar, the icons beside it, and flips every fuse', async (ctx) => {
    if (cannotPackage) return ctx.skip(cannotPackage);
    const app = await packageLinuxDir(ctx.signal);
    const archive = path.join(app, 'resources', 'app.asar');
    const entries = listPackage(archive, { isPack: false }).map((entry) => entry.split(path.sep).join('/'));

    expect(JSON.parse(extractFile(archive, 'package.json').toString()).main).toBe(packageJson.main);
    for (const file of [`/${packageJson.main}`, '/dist/renderer/index.html', '/dist/cli/main.js']) {
      expect(entries, file).toContain(file);
    }
    expect(entries.some((entry) => entry.startsWith('/dist/preload/'))).toBe(true);
    expect(entries.filter((entry) => entry.includes('node_modules'))).toEqual([]);
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
    expect(entries.filter((entry) => entry.startsWith('/dist/electron/'))).toEqual([]);

    const icons = readdirSync(RESOURCES).filter((file) => /^(tray-.*|icon\..*)$/.test(file));
    expect(readdirSync(path.join(app, 'resources', 'icons')).sort()).toEqual(icons.sort());

    expect(await fuseStates(path.join(app, executable))).toEqual(RELEASE_FUSES);
  });

  it("unpacks the CLI beside app.asar, where the user's Node runs it", async (ctx) => {
    if (cannotPackage) return ctx.skip(cannotPackage);
    const app = await packageLinuxDir(ctx.signal);
    const launcher = path.join(app, 'resources', 'app.asar.unpacked', 'bin', 'switchboard.mjs');
    const run = spawnSync(process.execPath, [launcher, '--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(packageJson.version);
  });

  it('lets an e2e build turn the inspector fuse on, and only that one', async (ctx) => {
    if (cannotPackage) return ctx.skip(cannotPackage);
    const app = await packageLinuxDir(ctx.signal, ['-c.electronFuses.enableNodeCliInspectArguments=true']);
    expect(await fuseStates(path.join(app, executable))).toEqual({
      ...RELEASE_FUSES,
      enableNodeCliInspectArguments: true,
    });
  });
});
