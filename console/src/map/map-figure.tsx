/**
 * What every console map shares: a figure whose picture is one image to assistive technology,
 * described by its caption (the form beside each map does everything the map does), and the land
 * and borders of the world under it.
 */

import type { GeoProjection } from 'd3-geo';
import type { ComponentChildren, Ref } from 'preact';
import { useMemo } from 'preact/hooks';
import { svgPath } from '#shared/maps/geometry.ts';
import { countryBorders, worldLand } from '#shared/maps/world.ts';
import { MAP_SIZE } from './map-view.ts';

export function MapFigure({
  id,
  caption,
  svgRef,
  children,
  below,
  ...pointer
}: {
  id: string;
  caption: ComponentChildren;
  svgRef?: Ref<SVGSVGElement>;
  children: ComponentChildren;
  /** Drawn over the SVG in the same box (a canvas of routes). */
  below?: ComponentChildren;
  onClick?: (event: MouseEvent) => void;
  onPointerMove?: (event: PointerEvent) => void;
  onPointerUp?: (event: PointerEvent) => void;
}) {
  return (
    <figure class="map">
      <div class="map-canvas">
        {/* biome-ignore lint/a11y/noSvgWithoutTitle: named by its figcaption (aria-labelledby), which all readers see */}
        <svg
          ref={svgRef}
          viewBox={`0 0 ${MAP_SIZE.width} ${MAP_SIZE.height}`}
          role="img"
          aria-labelledby={`${id}-caption`}
          {...pointer}
        >
          {children}
        </svg>
        {below}
      </div>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
    </figure>
  );
}

/** The land and the borders between countries on `projection`, computed once per view. */
export function WorldOutlines({ projection }: { projection: GeoProjection }) {
  const paths = useMemo(
    () => ({ land: svgPath(projection, worldLand()), borders: svgPath(projection, countryBorders()) }),
    [projection],
  );
  return (
    <>
      <rect class="map-sea" width={MAP_SIZE.width} height={MAP_SIZE.height} />
      <path class="map-land" d={paths.land} />
      <path class="map-borders" d={paths.borders} />
    </>
  );
}

/** Where a pointer event falls in the SVG's own units (the SVG is scaled to the page). */
export function svgPoint(svg: SVGSVGElement, event: MouseEvent): [number, number] {
  const matrix = svg.getScreenCTM()?.inverse();
  if (!matrix) return [event.offsetX, event.offsetY];
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix);
  return [point.x, point.y];
}
