import { describe, expect, it } from 'vitest';
import {
  type AreaRing,
  addVertex,
  closeRing,
  EMPTY_RING,
  moveVertex,
  removeVertex,
  ringFromGeoJson,
  ringToGeoJson,
} from '../../console/src/map/area-ring.ts';

const triangle: AreaRing = {
  vertices: [
    [24, 60],
    [26, 60],
    [25, 61.5],
  ],
  closed: true,
};

describe('the area ring drawn on the new-incident map', () => {
  it('is no area until it has three corners, then a GeoJSON Polygon whose ring closes on its first vertex', () => {
    const two = addVertex(addVertex(EMPTY_RING, [24, 60]), [26, 60]);
    expect(ringToGeoJson(two)).toBe('');
    expect(closeRing(two).closed).toBe(false);
    const three = closeRing(addVertex(two, [25, 61.5]));
    expect(three.closed).toBe(true);
    expect(JSON.parse(ringToGeoJson(three))).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [24, 60],
          [26, 60],
          [25, 61.5],
          [24, 60],
        ],
      ],
    });
  });

  it('rounds a clicked position to four decimals', () => {
    expect(addVertex(EMPTY_RING, [24.123456789, 60.987654321]).vertices).toEqual([[24.1235, 60.9877]]);
  });

  it('moves one corner and removes another; a closed ring left with two corners opens again', () => {
    const moved = moveVertex(triangle, 2, [25.5, 62]);
    expect(moved.vertices).toEqual([
      [24, 60],
      [26, 60],
      [25.5, 62],
    ]);
    const removed = removeVertex(moved, 0);
    expect(removed).toEqual({
      vertices: [
        [26, 60],
        [25.5, 62],
      ],
      closed: false,
    });
  });

  it('reads pasted GeoJSON back into the same ring, as a bare Polygon, a Feature or a one-feature collection', () => {
    const text = ringToGeoJson(triangle);
    expect(ringFromGeoJson(text)).toEqual(triangle);
    const geometry = JSON.parse(text);
    expect(ringFromGeoJson(JSON.stringify({ type: 'Feature', properties: {}, geometry }))).toEqual(triangle);
    expect(
      ringFromGeoJson(
        JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry }] }),
      ),
    ).toEqual(triangle);
  });

  it('leaves to the text box what it cannot edit corner by corner: bad JSON, holes, MultiPolygons, out-of-range corners', () => {
    expect(ringFromGeoJson('')).toBeUndefined();
    expect(ringFromGeoJson('{"type":"Polygon"')).toBeUndefined();
    const outer = [
      [20, 55],
      [30, 55],
      [30, 65],
      [20, 55],
    ];
    const hole = [
      [24, 58],
      [26, 58],
      [25, 60],
      [24, 58],
    ];
    expect(ringFromGeoJson(JSON.stringify({ type: 'Polygon', coordinates: [outer, hole] }))).toBeUndefined();
    expect(ringFromGeoJson(JSON.stringify({ type: 'MultiPolygon', coordinates: [[outer]] }))).toBeUndefined();
    expect(
      ringFromGeoJson(
        JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [200, 55],
              [30, 55],
              [30, 65],
              [200, 55],
            ],
          ],
        }),
      ),
    ).toBeUndefined();
  });
});
