// Draws build/icon.png (1024 px, which electron-builder turns into each platform's icon format): a fleet of devices
// as a grid of dots on a rounded tile, most done (green), one failed (amber), the rest pending (white).
// Run `node build/make-icon.mjs` after changing the drawing; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 4; // per axis, for anti-aliased edges

const TILE = { inset: 64, radius: 200 };
const GRID = { columns: 4, margin: 248 };
const DOT_RADIUS = 58;
const STATES = ['done', 'done', 'done', 'done', 'done', 'done', 'failed', 'done', 'done', 'done', 'pending', 'pending', 'done', 'pending', 'pending', 'pending'];
const COLOURS = { done: [52, 211, 153], failed: [251, 191, 36], pending: [241, 245, 249] };

function insideRoundedSquare(x, y) {
  const min = TILE.inset;
  const max = SIZE - TILE.inset;
  if (x < min || x > max || y < min || y > max) return false;
  const cx = Math.min(Math.max(x, min + TILE.radius), max - TILE.radius);
  const cy = Math.min(Math.max(y, min + TILE.radius), max - TILE.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= TILE.radius ** 2;
}

function tileColour(y) {
  const t = (y - TILE.inset) / (SIZE - 2 * TILE.inset);
  const top = [37, 99, 235];
  const bottom = [30, 41, 99];
  return top.map((channel, i) => channel + (bottom[i] - channel) * t);
}

function dotAt(x, y) {
  // Dot centres run from one margin to the other, evenly spaced.
  const step = (SIZE - 2 * GRID.margin) / (GRID.columns - 1);
  const column = Math.round((x - GRID.margin) / step);
  const row = Math.round((y - GRID.margin) / step);
  if (column < 0 || row < 0 || column >= GRID.columns || row >= GRID.columns) return undefined;
  const cx = GRID.margin + step * column;
  const cy = GRID.margin + step * row;
  return (x - cx) ** 2 + (y - cy) ** 2 <= DOT_RADIUS ** 2 ? COLOURS[STATES[row * GRID.columns + column]] : undefined;
}

function pixel(px, py) {
  const sum = [0, 0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES;
      const y = py + (sy + 0.5) / SAMPLES;
      if (!insideRoundedSquare(x, y)) continue;
      const colour = dotAt(x, y) ?? tileColour(y);
      for (let i = 0; i < 3; i++) sum[i] += colour[i];
      sum[3] += 1;
    }
  }
  const coverage = sum[3];
  return coverage === 0 ? [0, 0, 0, 0] : [...sum.slice(0, 3).map((c) => Math.round(c / coverage)), Math.round((255 * coverage) / SAMPLES ** 2)];
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const offset = y * (1 + SIZE * 4); // each scanline starts with filter type 0
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(rows, offset + 1 + x * 4);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
