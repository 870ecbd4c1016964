/**
 * Draws the Teams app icons (a database glyph) and writes them as PNGs with node:zlib only.
 * Deterministic: the same code always produces the same bytes, so the committed PNGs can be
 * regenerated and compared. Run: `npx tsx appPackage/tools/make-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

export const ACCENT_COLOR = '#2B5797';
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const SUPERSAMPLE = 4;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes each) as a PNG (colour type 6, no filtering). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const GLYPH = { cx: 0.5, rx: 0.3, ry: 0.1, top: 0.25, bottom: 0.75 };

/** Approximate distance from (x, y) to the ellipse outline, in the same units as the radii. */
function ellipseDistance(x: number, y: number, cy: number): number {
  const dx = (x - GLYPH.cx) / GLYPH.rx;
  const dy = (y - cy) / GLYPH.ry;
  const d = Math.hypot(dx, dy);
  if (d === 0) return GLYPH.ry;
  const gradient = Math.hypot(dx / GLYPH.rx, dy / GLYPH.ry) / d;
  return Math.abs(d - 1) / gradient;
}

/** True when (x, y) in unit coordinates lies on a stroke of the database glyph. */
function onGlyph(x: number, y: number, halfWidth: number): boolean {
  const { cx, rx, top, bottom } = GLYPH;
  if (ellipseDistance(x, y, top) <= halfWidth) return true;
  const middle = [top + (bottom - top) / 3, top + (2 * (bottom - top)) / 3, bottom];
  if (middle.some((cy) => y >= cy && ellipseDistance(x, y, cy) <= halfWidth)) return true;
  const onSide = Math.abs(x - (cx - rx)) <= halfWidth || Math.abs(x - (cx + rx)) <= halfWidth;
  return onSide && y >= top && y <= bottom;
}

function coverage(px: number, py: number, size: number, halfWidth: number): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
    for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
      const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
      const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
      if (onGlyph(x, y, halfWidth)) hits += 1;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function render(size: number, halfWidth: number, pixel: (c: number) => readonly [number, number, number, number]): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) rgba.set(pixel(coverage(x, y, size, halfWidth)), (y * size + x) * 4);
  }
  return encodePng(size, size, rgba);
}

/** 192×192, opaque: white glyph on the accent colour. */
export function renderColorIcon(): Buffer {
  const background = hexToRgb(ACCENT_COLOR);
  return render(COLOR_ICON_SIZE, 0.03, (c) => {
    const mix = (i: 0 | 1 | 2): number => Math.round(background[i] * (1 - c) + WHITE[i] * c);
    return [mix(0), mix(1), mix(2), 255];
  });
}

/** 32×32, transparent background: white glyph whose alpha is its coverage. */
export function renderOutlineIcon(): Buffer {
  return render(OUTLINE_ICON_SIZE, 0.035, (c) => [WHITE[0], WHITE[1], WHITE[2], Math.round(c * 255)]);
}

if (require.main === module) {
  const dir = join(__dirname, '..');
  writeFileSync(join(dir, 'color.png'), renderColorIcon());
  writeFileSync(join(dir, 'outline.png'), renderOutlineIcon());
  console.log(`wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}
