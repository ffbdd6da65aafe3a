/**
 * The area an operator draws on the new-incident map: one ring of [longitude, latitude] vertices,
 * open while it is being drawn and closed once finished, and its two-way translation to the
 * GeoJSON the area text box holds (the text box stays the source the form submits).
 */

export type Vertex = [longitude: number, latitude: number];

export interface AreaRing {
  vertices: Vertex[];
  /** Closed: clicks on the map no longer add vertices (they pick airports); the ring is still editable. */
  closed: boolean;
}

export const EMPTY_RING: AreaRing = { vertices: [], closed: false };

/** A polygon needs three corners. */
export const MIN_VERTICES = 3;

/** Four decimals (about 10 m): finer than a click can aim, and short enough to read in the text box. */
const round = (degrees: number) => Math.round(degrees * 10_000) / 10_000;

export const roundedVertex = ([longitude, latitude]: Vertex): Vertex => [round(longitude), round(latitude)];

export function addVertex(ring: AreaRing, vertex: Vertex): AreaRing {
  return { ...ring, vertices: [...ring.vertices, roundedVertex(vertex)] };
}

export function moveVertex(ring: AreaRing, index: number, vertex: Vertex): AreaRing {
  return { ...ring, vertices: ring.vertices.map((old, at) => (at === index ? roundedVertex(vertex) : old)) };
}

/** Removes a corner; a closed ring left with fewer than three opens again, to be drawn on. */
export function removeVertex(ring: AreaRing, index: number): AreaRing {
  const vertices = ring.vertices.filter((_, at) => at !== index);
  return { vertices, closed: ring.closed && vertices.length >= MIN_VERTICES };
}

export function closeRing(ring: AreaRing): AreaRing {
  return ring.vertices.length >= MIN_VERTICES ? { ...ring, closed: true } : ring;
}

/**
 * The area text for a ring: a GeoJSON Polygon whose ring repeats its first vertex at the end,
 * or '' until it has three corners (an area of fewer is no area).
 */
export function ringToGeoJson(ring: AreaRing): string {
  const [first] = ring.vertices;
  if (!first || ring.vertices.length < MIN_VERTICES) return '';
  return JSON.stringify({ type: 'Polygon', coordinates: [[...ring.vertices, first]] });
}

const isVertex = (value: unknown): value is Vertex =>
  Array.isArray(value) &&
  value.length >= 2 &&
  typeof value[0] === 'number' &&
  typeof value[1] === 'number' &&
  Math.abs(value[0]) <= 180 &&
  Math.abs(value[1]) <= 90;

/** The geometry inside pasted GeoJSON: a Feature's, or a one-feature FeatureCollection's. */
export function areaGeometry(parsed: unknown): unknown {
  const value = parsed as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  if (value?.type === 'Feature') return value.geometry;
  if (value?.type === 'FeatureCollection' && value.features?.length === 1) return value.features[0]?.geometry;
  return parsed;
}

/**
 * The ring drawn for typed or pasted area text: a closed ring for a Polygon without holes,
 * undefined for anything the map cannot edit vertex by vertex (empty text, invalid JSON, a hole,
 * a MultiPolygon: the text box alone holds those, and the API judges them).
 */
export function ringFromGeoJson(text: string): AreaRing | undefined {
  if (text.trim() === '') return undefined;
  let geometry: unknown;
  try {
    geometry = areaGeometry(JSON.parse(text));
  } catch {
    return undefined;
  }
  const polygon = geometry as { type?: string; coordinates?: unknown };
  if (polygon?.type !== 'Polygon' || !Array.isArray(polygon.coordinates)) return undefined;
  const [outer, ...holes] = polygon.coordinates as unknown[];
  if (holes.length > 0 || !Array.isArray(outer) || !outer.every(isVertex)) return undefined;
  const vertices = outer.map(([longitude, latitude]) => [longitude, latitude] as Vertex);
  const first = vertices[0];
  const last = vertices.at(-1);
  // GeoJSON repeats the first vertex at the end; the drawing keeps each corner once.
  if (first && last && vertices.length > 1 && first[0] === last[0] && first[1] === last[1]) vertices.pop();
  return vertices.length >= MIN_VERTICES ? { vertices, closed: true } : undefined;
}
