import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAY_STATES, trayIconFile } from '../../electron/main/tray/tray-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resources = path.join(root, 'resources');
const script = path.join(root, 'scripts', 'make-icons.mjs');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** RGBA, row after row. */
  pixels: Buffer;
}

/** Reads an 8-bit RGBA PNG whose rows all use filter 0, the only kind make-icons writes. */
function decodePng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const bitDepth = bytes[24] ?? -1;
  const colourType = bytes[25] ?? -1;
  const idat: Buffer[] = [];
  let offset = 8;
  let ended = false;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    if (type === 'IDAT') idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') ended = true;
    offset += 12 + length;
  }
  expect(ended).toBe(true);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)], `filter byte of row ${y}`).toBe(0);
    raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width, height, bitDepth, colourType, pixels };
}

interface IcoEntry {
  width: number;
  height: number;
  png: Buffer;
}

function decodeIco(bytes: Buffer): IcoEntry[] {
  expect(bytes.readUInt16LE(0), 'reserved').toBe(0);
  expect(bytes.readUInt16LE(2), 'type (1 = icon)').toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    expect(offset + size).toBeLessThanOrEqual(bytes.length);
    return {
      width: bytes[entry] || 256,
      height: bytes[entry + 1] || 256,
      png: bytes.subarray(offset, offset + size),
    };
  });
}

function read(name: string): Buffer {
  return readFileSync(path.join(resources, name));
}

function pixelAt(png: Png, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.pixels[i] ?? -1, png.pixels[i + 1] ?? -1, png.pixels[i + 2] ?? -1, png.pixels[i + 3] ?? -1];
}

function alphaMask(png: Png): number[] {
  return Array.from({ length: png.width * png.height }, (_, i) => png.pixels[i * 4 + 3] ?? 0);
}

function greyscaleOver(png: Png, background: number): number[] {
  return Array.from({ length: png.width * png.height }, (_, i) => {
    const [r = 0, g = 0, b = 0, a = 0] = png.pixels.subarray(i * 4, i * 4 + 4);
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    return (luma * a + background * (255 - a)) / 255;
  });
}

/** Mean colour of the (nearly) opaque pixels, weighted by alpha. */
function meanColour(png: Png): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let weight = 0;
  for (let i = 0; i < png.pixels.length; i += 4) {
    const a = png.pixels[i + 3] ?? 0;
    if (a < 200) continue;
    r += (png.pixels[i] ?? 0) * a;
    g += (png.pixels[i + 1] ?? 0) * a;
    b += (png.pixels[i + 2] ?? 0) * a;
    weight += a;
  }
  return [r / weight, g / weight, b / weight];
}

const KINDS = [
  { suffix: '', size: 16, template: false },
  { suffix: '@2x', size: 32, template: false },
  { suffix: 'Template', size: 16, template: true },
  { suffix: 'Template@2x', size: 32, template: true },
] as const;

describe('tray icons', () => {
  describe.each(KINDS)('tray-<state>$suffix.png', ({ suffix, size, template }) => {
    const decoded = (): { state: string; png: Png }[] =>
      TRAY_STATES.map((state) => ({ state, png: decodePng(read(`tray-${state}${suffix}.png`)) }));

    it(`is a ${size}×${size} 8-bit RGBA PNG with transparent corners and a visible shape`, () => {
      for (const { png } of decoded()) {
        expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([size, size, 8, 6]);
        expect(pixelAt(png, 0, 0)[3]).toBe(0);
        expect(pixelAt(png, size - 1, size - 1)[3]).toBe(0);
        expect(alphaMask(png).filter((a) => a === 255).length).toBeGreaterThan(size * size * 0.2);
      }
    });

    it('differs from state to state in lightness, not only in hue', () => {
      // Seen without colour (greyscale) on a light and on a dark bar, every pair of states must differ.
      // Template images are black by design (macOS inverts them on a dark bar), so: light bar only.
      for (const bar of template ? [235] : [235, 30]) {
        const views = decoded().map(({ png }) => greyscaleOver(png, bar));
        for (let i = 0; i < views.length; i++) {
          for (let j = i + 1; j < views.length; j++) {
            const a = views[i] ?? [];
            const b = views[j] ?? [];
            const differing = a.filter((v, k) => Math.abs(v - (b[k] ?? v)) > 40).length;
            const pair = `${TRAY_STATES[i]} vs ${TRAY_STATES[j]} on ${bar}`;
            expect(differing, pair).toBeGreaterThan(size * size * 0.05);
          }
        }
      }
    });

    if (template) {
      it('holds only black pixels (macOS tints template images itself)', () => {
        for (const { png } of decoded()) {
          for (let i = 0; i < png.pixels.length; i += 4) {
            expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([0, 0, 0]);
          }
        }
      });
    } else {
      it('is green when ready, amber when restarting, red when failed and grey when stopped', () => {
        const colour = Object.fromEntries(decoded().map(({ state, png }) => [state, meanColour(png)]));
        const [rr, rg, rb] = colour.ready ?? [];
        expect(rg).toBeGreaterThan(Math.max(rr ?? 0, rb ?? 0) + 60);
        const [ar, ag, ab] = colour.restarting ?? [];
        expect(ar).toBeGreaterThan((ag ?? 0) + 20);
        expect(ag).toBeGreaterThan((ab ?? 0) + 60);
        const [fr, fg, fb] = colour.failed ?? [];
        expect(fr).toBeGreaterThan(Math.max(fg ?? 0, fb ?? 0) + 60);
        const [sr = 0, sg = 0, sb = 0] = colour.stopped ?? [];
        expect(Math.max(sr, sg, sb) - Math.min(sr, sg, sb)).toBeLessThan(20);
      });
    }
  });

  it.each(TRAY_STATES)('tray-%s.ico holds the 32 and 16 pixel PNGs', (state) => {
    const entries = decodeIco(read(`tray-${state}.ico`));
    expect(entries.map((e) => [e.width, e.height])).toEqual([
      [32, 32],
      [16, 16],
    ]);
    for (const entry of entries) {
      const png = decodePng(entry.png);
      expect([png.width, png.height]).toEqual([entry.width, entry.height]);
    }
    expect(entries[0]?.png.equals(read(`tray-${state}@2x.png`))).toBe(true);
    expect(entries[1]?.png.equals(read(`tray-${state}.png`))).toBe(true);
  });

  it('has every file trayIconFile names, on Linux, macOS and Windows, with @2x PNGs beside', () => {
    for (const state of TRAY_STATES) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        const name = trayIconFile(state, platform);
        expect(existsSync(path.join(resources, name)), name).toBe(true);
        if (name.endsWith('.png')) {
          expect(existsSync(path.join(resources, name.replace(/\.png$/, '@2x.png'))), name).toBe(true);
        }
      }
    }
  });
});

describe('app icon', () => {
  it('icon.png is a 512×512 RGBA image with transparent corners', () => {
    const png = decodePng(read('icon.png'));
    expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([512, 512, 8, 6]);
    expect(pixelAt(png, 0, 0)[3]).toBe(0);
    expect(pixelAt(png, 256, 40)[3]).toBe(255);
  });

  it('icon.ico holds 256, 32 and 16 pixel PNGs', () => {
    const entries = decodeIco(read('icon.ico'));
    expect(entries.map((e) => e.width)).toEqual([256, 32, 16]);
    for (const entry of entries) {
      const png = decodePng(entry.png);
      expect([png.width, png.height, png.colourType]).toEqual([entry.width, entry.height, 6]);
    }
  });
});

describe('make-icons.mjs', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function generate(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-'));
    dirs.push(dir);
    execFileSync(process.execPath, [script, dir], { stdio: 'pipe' });
    return dir;
  }

  it('writes the same bytes every run, and the same pictures as the committed ones', () => {
    const first = generate();
    const second = generate();
    const names = readdirSync(first).sort();
    expect(names).toHaveLength(TRAY_STATES.length * 5 + 2);
    expect(readdirSync(second).sort()).toEqual(names);
    for (const name of names) {
      const bytes = readFileSync(path.join(first, name));
      expect(bytes.equals(readFileSync(path.join(second, name))), name).toBe(true);
      // Compare pixels, not bytes: another zlib build may deflate the same rows differently.
      const committed = read(name);
      const pictures = (b: Buffer): Buffer[] =>
        name.endsWith('.ico') ? decodeIco(b).map((e) => decodePng(e.png).pixels) : [decodePng(b).pixels];
      const fresh = pictures(bytes);
      const old = pictures(committed);
      expect(fresh.length, name).toBe(old.length);
      fresh.forEach((p, i) =>
        expect(p.equals(old[i] ?? Buffer.alloc(0)), `${name} is out of date`).toBe(true),
      );
    }
  });
});
