/**
 * The world's land and country borders: Natural Earth's 1:110m countries from the `world-atlas`
 * TopoJSON package, the only map data Herald draws (no tiles, nothing fetched at run time). The
 * land is one merged shape and the borders a mesh of the arcs two countries share, so a border
 * is drawn once, not once per country. Imported as JSON so the same module works in the status
 * worker (Node, esbuild) and the console (Vite).
 */
import type { MultiLineString, MultiPolygon } from 'geojson';
import { merge, mesh } from 'topojson-client';
import type {
  GeometryCollection,
  Topology,
  MultiPolygon as TopoMultiPolygon,
  Polygon as TopoPolygon,
} from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json' with { type: 'json' };

// Every country in the atlas is a Polygon or a MultiPolygon (none is empty or a point).
type Country = TopoPolygon | TopoMultiPolygon;
const atlas = countries110m as unknown as Topology<{
  countries: GeometryCollection & { geometries: Country[] };
}>;

let land: MultiPolygon | undefined;
let borders: MultiLineString | undefined;

/** Every country's outline merged into land (computed on first use, then kept). */
export function worldLand(): MultiPolygon {
  land ??= merge(atlas, atlas.objects.countries.geometries);
  return land;
}

/** The borders between countries, each shared arc once (computed on first use, then kept). */
export function countryBorders(): MultiLineString {
  borders ??= mesh(atlas, atlas.objects.countries, (a, b) => a !== b);
  return borders;
}
