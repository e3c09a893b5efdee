// Draws the tray icons and the app icon into resources/ (or the directory given as the first argument).
// No dependencies: shapes are sampled on a grid for anti-aliasing and encoded as PNG by hand, so the
// output is the same bytes on every run. Run `node scripts/make-icons.mjs` after changing a shape.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const STATES = ['ready', 'restarting', 'failed', 'stopped'];

// ---- PNG and ICO encoding ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** 8-bit RGBA, not interlaced, every row with filter 0 (none): simple to write and to check. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file whose entries are PNGs (allowed since Windows Vista), largest first. */
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

// ---- Drawing ----
// A picture is a list of layers, bottom first. Each has a shape (inside(x, y) in the picture's own
// units) and a colour; a mark (`cutout: true`, e.g. the white X) becomes a hole in template images,
// where white would not survive. Each pixel averages n×n sample points.

/**
 * Renders `layers`, drawn on a `units`×`units` canvas, at `size`×`size` pixels. With `template`, every
 * colour becomes black and only coverage is kept (macOS template images).
 */
function render(layers, units, size, samples, template = false) {
  const rgba = Buffer.alloc(size * size * 4);
  const scale = units / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          const layer = topLayer(layers, x, y);
          if (!layer || (template && layer.cutout)) continue;
          const { colour } = layer;
          const alpha = colour[3];
          if (!template) {
            r += colour[0] * alpha;
            g += colour[1] * alpha;
            b += colour[2] * alpha;
          }
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0 && !template) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round(a / (samples * samples));
    }
  }
  return rgba;
}

function topLayer(layers, x, y) {
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i].inside(x, y)) return layers[i];
  }
  return undefined;
}

const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const ring = (cx, cy, inner, outer) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= outer * outer && d >= inner * inner;
};

/** Degrees clockwise from 12 o'clock, screen coordinates (y down). */
const angleOf = (cx, cy, x, y) => ((Math.atan2(x - cx, cy - y) * 180) / Math.PI + 360) % 360;

const arc = (cx, cy, inner, outer, from, to) => {
  const inRing = ring(cx, cy, inner, outer);
  return (x, y) => {
    const angle = angleOf(cx, cy, x, y);
    return inRing(x, y) && angle >= from && angle <= to;
  };
};

/** A segment with round ends, `half` wide on each side. */
const bar = (x0, y0, x1, y1, half) => (x, y) => {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  return (x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2 <= half * half;
};

const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const side = (px, py, qx, qy) => (qx - px) * (y - py) - (qy - py) * (x - px);
  const s1 = side(ax, ay, bx, by);
  const s2 = side(bx, by, cx, cy);
  const s3 = side(cx, cy, ax, ay);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};

const roundedSquare = (x0, y0, x1, y1, radius) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const nx = Math.max(x0 + radius, Math.min(x1 - radius, x));
  const ny = Math.max(y0 + radius, Math.min(y1 - radius, y));
  return (x - nx) ** 2 + (y - ny) ** 2 <= radius * radius;
};

const any =
  (...shapes) =>
  (x, y) =>
    shapes.some((inside) => inside(x, y));

const hex = (value) => [
  parseInt(value.slice(1, 3), 16),
  parseInt(value.slice(3, 5), 16),
  parseInt(value.slice(5, 7), 16),
  255,
];

// ---- Tray icons: a 16-unit canvas, circle centred at (8, 8) ----
// Each state has its own shape as well as its own colour, so it reads without colour too:
// ready a full disc, restarting an open arc with an arrowhead, failed a disc with an X, stopped a hollow ring.

const C = 8;
const OUTER = 7.25;
const EDGE = 5.9; // where the darker ring ends and the fill begins

const TRAY_COLOURS = {
  ready: { fill: hex('#2fb344'), edge: hex('#1b7a2c') },
  restarting: { fill: hex('#f5a524'), edge: hex('#b86e00') },
  failed: { fill: hex('#e5484d'), edge: hex('#a01d22') },
  stopped: { fill: hex('#a0a4ab'), edge: hex('#5f646c') },
};
const WHITE = hex('#ffffff');

function trayLayers(state) {
  const { fill, edge } = TRAY_COLOURS[state];
  switch (state) {
    case 'ready':
      return [
        { inside: disc(C, C, OUTER), colour: edge },
        { inside: disc(C, C, EDGE), colour: fill },
      ];
    case 'failed': {
      const arm = 2.6;
      const x = any(
        bar(C - arm, C - arm, C + arm, C + arm, 1.05),
        bar(C + arm, C - arm, C - arm, C + arm, 1.05),
      );
      return [
        { inside: disc(C, C, OUTER), colour: edge },
        { inside: disc(C, C, EDGE), colour: fill },
        { inside: x, colour: WHITE, cutout: true },
      ];
    }
    case 'stopped':
      return [
        { inside: ring(C, C, 4.2, OUTER), colour: edge },
        { inside: ring(C, C, 4.2, EDGE), colour: fill },
      ];
    case 'restarting': {
      // A circular arrow: the arc runs clockwise from 1 o'clock round to 11 o'clock, the head at its end.
      const inner = 3.7;
      const from = 40;
      const to = 330;
      const tip = (degrees, r) => {
        const rad = (degrees * Math.PI) / 180;
        return [C + r * Math.sin(rad), C - r * Math.cos(rad)];
      };
      const [ax, ay] = tip(to - 2, inner - 1.6);
      const [bx, by] = tip(to - 2, OUTER + 0.6);
      const [hx, hy] = tip(to + 38, (inner + OUTER) / 2);
      const head = triangle(ax, ay, bx, by, hx, hy);
      return [
        { inside: any(arc(C, C, inner, OUTER, from, to), head), colour: edge },
        { inside: arc(C, C, inner + 0.8, EDGE, from + 6, to), colour: fill },
      ];
    }
    default:
      throw new Error(`unknown state ${state}`);
  }
}

// ---- App icon: a 512-unit canvas ----
// A patch panel: two columns of jacks joined by three coloured cables.

function appIconLayers() {
  const panel = hex('#1e293b');
  const jack = hex('#cbd5e1');
  const hole = hex('#0f172a');
  const rows = [150, 256, 362];
  const left = 138;
  const right = 374;
  const cables = [
    { from: [left, rows[0]], to: [right, rows[1]], colour: hex('#2fb344') },
    { from: [left, rows[1]], to: [right, rows[2]], colour: hex('#3b82f6') },
    { from: [left, rows[2]], to: [right, rows[0]], colour: hex('#f5a524') },
  ];
  const layers = [{ inside: roundedSquare(32, 32, 480, 480, 100), colour: panel }];
  for (const y of rows) {
    for (const x of [left, right]) {
      layers.push({ inside: disc(x, y, 42), colour: jack }, { inside: disc(x, y, 27), colour: hole });
    }
  }
  for (const { from, to, colour } of cables) {
    layers.push({ inside: bar(from[0], from[1], to[0], to[1], 13), colour });
    layers.push({ inside: any(disc(from[0], from[1], 21), disc(to[0], to[1], 21)), colour });
  }
  return layers;
}

// ---- Output ----

function makeIcons(outDir) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  const write = (name, bytes) => {
    writeFileSync(path.join(outDir, name), bytes);
    written.push(name);
  };
  for (const state of STATES) {
    const layers = trayLayers(state);
    const png16 = encodePng(16, 16, render(layers, 16, 16, 8));
    const png32 = encodePng(32, 32, render(layers, 16, 32, 8));
    write(`tray-${state}.png`, png16);
    write(`tray-${state}@2x.png`, png32);
    write(`tray-${state}Template.png`, encodePng(16, 16, render(layers, 16, 16, 8, true)));
    write(`tray-${state}Template@2x.png`, encodePng(32, 32, render(layers, 16, 32, 8, true)));
    write(
      `tray-${state}.ico`,
      encodeIco([
        { size: 32, png: png32 },
        { size: 16, png: png16 },
      ]),
    );
  }
  const app = appIconLayers();
  const appPng = (size) => encodePng(size, size, render(app, 512, size, size >= 256 ? 4 : 8));
  write('icon.png', appPng(512));
  write('icon.ico', encodeIco([256, 32, 16].map((size) => ({ size, png: appPng(size) }))));
  return written;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(here, '..', 'resources'));
const written = makeIcons(outDir);
console.log(`wrote ${written.length} files to ${outDir}`);
