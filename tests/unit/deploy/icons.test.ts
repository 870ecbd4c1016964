import { readFileSync } from 'node:fs';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, renderColorIcon, renderOutlineIcon } from '../../../appPackage/tools/make-icons';
import { projectPath } from './support/project';
import { decodePng, type DecodedPng } from './support/png';

const read = (name: string): Buffer => readFileSync(projectPath('appPackage', name));
const alphaAt = (png: DecodedPng, x: number, y: number): number => png.pixels[(y * png.width + x) * 4 + 3]!;

function pixels(png: DecodedPng): [number, number, number, number][] {
  return Array.from({ length: png.width * png.height }, (_, i) => [...png.pixels.subarray(i * 4, i * 4 + 4)] as [number, number, number, number]);
}

describe('app icons', () => {
  it('when the color icon is read, then it is a 192×192 opaque PNG with a visible glyph', () => {
    const png = decodePng(read('color.png'));
    expect({ width: png.width, height: png.height }).toEqual({ width: COLOR_ICON_SIZE, height: COLOR_ICON_SIZE });
    expect(COLOR_ICON_SIZE).toBe(192);
    const all = pixels(png);
    expect(all.every(([, , , a]) => a === 255)).toBe(true);
    const white = all.filter(([r, g, b]) => r === 255 && g === 255 && b === 255).length;
    expect(white / all.length).toBeGreaterThan(0.05);
    expect(white / all.length).toBeLessThan(0.5);
  });

  it('when the outline icon is read, then it is a 32×32 PNG, white on a transparent background', () => {
    const png = decodePng(read('outline.png'));
    expect({ width: png.width, height: png.height, colorType: png.colorType }).toEqual({ width: OUTLINE_ICON_SIZE, height: OUTLINE_ICON_SIZE, colorType: 6 });
    expect(OUTLINE_ICON_SIZE).toBe(32);
    const last = OUTLINE_ICON_SIZE - 1;
    expect([alphaAt(png, 0, 0), alphaAt(png, last, 0), alphaAt(png, 0, last), alphaAt(png, last, last)]).toEqual([0, 0, 0, 0]);
    const visible = pixels(png).filter(([, , , a]) => a > 0);
    expect(visible.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    expect(visible.filter(([, , , a]) => a === 255).length).toBeGreaterThan(50);
    expect(visible.length / (png.width * png.height)).toBeLessThan(0.6);
  });

  it('when the generator runs again, then it reproduces the committed PNGs byte for byte', () => {
    expect(renderColorIcon().equals(read('color.png'))).toBe(true);
    expect(renderOutlineIcon().equals(read('outline.png'))).toBe(true);
  });
});
