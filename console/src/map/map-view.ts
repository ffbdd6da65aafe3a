/** The console maps' drawing size and starting view: plain data, shared with the tests that click on them. */
import type { Geometry } from 'geojson';

/** The maps' drawing size in SVG units; the page scales it to its width. */
export const MAP_SIZE = { width: 800, height: 480 };

/** The Nordic and Baltic countries around the Helsinki hub, where an operator starts drawing before the form names anything. */
export const DEFAULT_VIEW: Geometry[] = [
  {
    type: 'MultiPoint',
    coordinates: [
      [12, 55],
      [31, 67],
    ],
  },
];
