// Draws the app's icons (a page with lines of text and a bookmark on the accent colour) and writes them as PNGs
// into web/public/icons, with nothing but zlib: `node scripts/generate-icons.ts`. The PNGs are committed; run this
// again only to change the design. Shapes are sampled 4×4 per pixel, so edges are smooth at every size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { repoRoot } from './reader-process.ts';

type Rgb = readonly [number, number, number];
type Shape = (x: number, y: number) => boolean;

const ACCENT: Rgb = [26, 86, 184];
const PAPER: Rgb = [251, 250, 247];
const INK: Rgb = [159, 179, 214];
const RIBBON: Rgb = [240, 162, 58];

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

/** A bookmark ribbon: a strip with a V cut out of its bottom. */
function ribbon(x0: number, x1: number, y0: number, y1: number): Shape {
  const mid = (x0 + x1) / 2;
  const notch = (x1 - x0) / 2;
  return (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1 && y <= y1 - notch + (Math.abs(x - mid) / (x1 - x0)) * 2 * notch;
}

/** The drawing in a unit square; `scale` shrinks it about the centre (maskable icons keep to the safe zone). */
function layers(scale: number): Array<[Shape, Rgb]> {
  const s = (v: number) => 0.5 + (v - 0.5) * scale;
  const lines: Array<[Shape, Rgb]> = [0.38, 0.48, 0.58, 0.68].map((y, i) => [
    roundedRect(s(0.34), s(y), s(i === 3 ? 0.56 : 0.66), s(y + 0.04), 0.02 * scale),
    INK,
  ]);
  return [
    [roundedRect(s(0.26), s(0.18), s(0.74), s(0.82), 0.05 * scale), PAPER],
    ...lines,
    [ribbon(s(0.57), s(0.67), s(0.18), s(0.34)), RIBBON],
  ];
}

function draw(size: number, background: Shape, scale: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const drawing = layers(scale);
  const SAMPLES = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          if (!background(x, y)) continue;
          let colour = ACCENT;
          for (const [shape, fill] of drawing) if (shape(x, y)) colour = fill;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      // Colour is averaged over covered samples only; coverage goes to alpha.
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  // Each row starts with filter type 0 (none).
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

const rounded = roundedRect(0, 0, 1, 1, 0.2);
const fullBleed: Shape = () => true;
const icons: Array<{ file: string; size: number; background: Shape; scale: number }> = [
  { file: 'icon-192.png', size: 192, background: rounded, scale: 1 },
  { file: 'icon-512.png', size: 512, background: rounded, scale: 1 },
  // Maskable: the platform crops to its own shape; everything that matters sits inside the central 80 % circle.
  { file: 'icon-maskable-512.png', size: 512, background: fullBleed, scale: 0.78 },
  // iOS draws its own rounded corners and fills transparency with black: full bleed.
  { file: 'apple-touch-icon.png', size: 180, background: fullBleed, scale: 0.9 },
];

const outDir = resolve(repoRoot, 'web/public/icons');
mkdirSync(outDir, { recursive: true });
for (const icon of icons) {
  writeFileSync(resolve(outDir, icon.file), encodePng(icon.size, draw(icon.size, icon.background, icon.scale)));
  console.log(`wrote web/public/icons/${icon.file}`);
}
