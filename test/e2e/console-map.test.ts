import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { AffectedFlightSummary, Preview } from '#shared/api/broadcasts.ts';
import { type Airport, ALL_AIRPORTS } from '#shared/domain/airports.ts';
import type { Incident } from '#shared/domain/model.ts';
import { fitProjection } from '#shared/maps/geometry.ts';
import { collectPageErrors } from '#test/support/browser.ts';
import { expectFitsAPhone, PHONE_SCREEN, signInToConsole } from '#test/support/console-page.ts';
import { consoleTest } from '#test/support/console-stack.ts';
import { apiClient } from '#test/support/local-stack.ts';
import { DEFAULT_VIEW, MAP_SIZE } from '../../console/src/map/map-view.ts';

const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');

/** "yyyy-mm-ddThh:mm" in the browser's (and this process's) local time, for datetime-local inputs. */
function localInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Today and tomorrow, local time: the demo airline's two days of flights. */
function twoDays(): { start: string; end: string } {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  return { start: localInput(start), end: localInput(new Date(start.getTime() + 2 * 86_400_000 - 60_000)) };
}

/** The corners of an area over the Gulf of Finland, clicked on the map in this order. */
const GULF_CORNERS: [number, number][] = [
  [23.2, 59.4],
  [27.6, 59.4],
  [27.6, 60.9],
  [23.2, 60.9],
];

/**
 * The console's maps in headless Chromium against the whole local stack (issue 20): the area
 * drawn by clicks on the new-incident map, and the preview's routes. Screenshots go to
 * test/e2e/screenshots/.
 */
/**
 * The routes a preview map must draw smoothly (issue 20), and the time it may take: computing the
 * paths and drawing them, finished. Measured in headless (software) Chromium on the shared 2-core
 * machine under a load average of 20–35: 0.85–3.0 s in the page, 0.9–1.0 s for the same routes drawn
 * alone. The budget holds off the slow path it replaced: a GPU-backed canvas without a GPU took
 * 15–20 s to raster the same strokes.
 */
const ROUTES_MEASURED = 3_000;

/** A flow clicks, drags and loads two incidents: on the shared 2-core machine that takes more than the default 30 s. */
const FLOW_TIMEOUT = 120_000;

describe('console maps in Chromium', () => {
  let stack: LocalStack;
  let browser: Browser;

  consoleTest.beforeAll(async ({ stack: sharedStack, browser: sharedBrowser }) => {
    [stack, browser] = [sharedStack, sharedBrowser];
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  async function newIncidentForm(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, 'olli.operator');
    await page.getByRole('link', { name: 'Open an incident' }).click();
    const { start, end } = twoDays();
    await page.getByLabel('Title').fill('Ash cloud over the Gulf of Finland');
    await page.getByLabel('Type').selectOption('weather');
    await page.getByLabel('Starts').fill(start);
    await page.getByLabel('Ends (not included)').fill(end);
    await page.locator('figure.map svg').waitFor();
    return { page, errors };
  }

  /** Where [longitude, latitude] is on the page, by the projection the new-incident map starts with. */
  async function onMap(page: Page, place: [number, number]): Promise<{ x: number; y: number }> {
    const map = page.locator('figure.map svg');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    const projected = fitProjection(MAP_SIZE, DEFAULT_VIEW)(place);
    if (!box || !projected) throw new Error('The map or the place is not on the page');
    const scale = box.width / MAP_SIZE.width;
    return { x: box.x + projected[0] * scale, y: box.y + projected[1] * scale };
  }

  const click = async (page: Page, place: [number, number]) => {
    const { x, y } = await onMap(page, place);
    await page.mouse.click(x, y);
  };

  const openIncident = async (page: Page): Promise<Incident> => {
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ash cloud over the Gulf of Finland' }).waitFor();
    const id = decodeURIComponent(page.url().split('/incidents/')[1] ?? '');
    const operator = apiClient(stack, 'operator');
    return (await operator<Incident>('GET', `/incidents/${encodeURIComponent(id)}`)).body;
  };

  it(
    'draws the area by clicks and picks an airport on the map: the same incident as pasting its GeoJSON',
    async () => {
      const { page, errors } = await newIncidentForm();
      const area = page.getByLabel(/^Area: GeoJSON/);
      const corners = page.locator('circle.map-vertex');

      // Five clicks, the last one a corner too many: double-clicking it removes it.
      for (const corner of GULF_CORNERS) await click(page, corner);
      await click(page, [25.4, 61.6]);
      expect(await corners.count()).toBe(5);
      await corners.nth(4).dblclick();
      expect(await corners.count()).toBe(4);
      // Dragging a corner moves it: the north-east one a little further north.
      const northEast = await onMap(page, [27.6, 60.9]);
      await page.mouse.move(northEast.x, northEast.y);
      await page.mouse.down();
      await page.mouse.move(northEast.x + 5, northEast.y - 10, { steps: 4 });
      await page.mouse.up();
      // Clicking the first corner closes the ring; a click on the map then adds nothing.
      await click(page, GULF_CORNERS[0] as [number, number]);
      await click(page, [20, 58]);
      expect(await corners.count()).toBe(4);

      const drawn = JSON.parse(await area.inputValue()) as { type: string; coordinates: number[][][] };
      expect(drawn.type).toBe('Polygon');
      const ring = drawn.coordinates[0] ?? [];
      expect(ring).toHaveLength(5);
      expect(ring[4]).toEqual(ring[0]);
      // Each corner within a click's aim (about 0.1°) of where it was clicked, the dragged one moved north.
      for (const index of [0, 1, 3]) {
        const [longitude = 0, latitude = 0] = ring[index] ?? [];
        const [aimedLongitude = 0, aimedLatitude = 0] = GULF_CORNERS[index] ?? [];
        expect(Math.abs(longitude - aimedLongitude)).toBeLessThan(0.15);
        expect(Math.abs(latitude - aimedLatitude)).toBeLessThan(0.15);
      }
      expect(ring[2]?.[1]).toBeGreaterThan(60.9 + 0.1);

      // An airport clicked on the map is chosen, as the search would choose it.
      await page.locator('g.map-airport[data-iata="TLL"]').click();
      await page.getByRole('list', { name: 'Chosen airports' }).getByText('TLL').waitFor();
      await page.getByLabel('Include flights crossing the area').check();
      expect(await page.locator('figure.map figcaption').textContent()).toMatch(
        /The area has 4 corners\. Chosen airports: TLL\./,
      );
      await page.screenshot({ path: resolve(SCREENSHOTS, 'map-01-area-drawn.png'), fullPage: true });
      await page.setViewportSize(PHONE_SCREEN);
      await expectFitsAPhone(page, 'the new-incident map');
      await page.setViewportSize({ width: 1280, height: 900 });
      const byDrawing = await openIncident(page);

      // The same polygon pasted as GeoJSON, the airport found by search: the map draws it, the incident is the same.
      const pasted = await newIncidentForm();
      await pasted.page.getByLabel(/^Area: GeoJSON/).fill(JSON.stringify(drawn));
      expect(await pasted.page.locator('circle.map-vertex').count()).toBe(4);
      await pasted.page.getByLabel('Find an airport').fill('TLL');
      await pasted.page.getByRole('button', { name: /Add TLL/ }).click();
      await pasted.page.getByLabel('Include flights crossing the area').check();
      const byPasting = await openIncident(pasted.page);

      expect(byPasting.scope).toEqual(byDrawing.scope);
      expect(byPasting.window).toEqual(byDrawing.window);
      expect(errors).toEqual([]);
      expect(pasted.errors).toEqual([]);
      await page.close();
      await pasted.page.close();
    },
    FLOW_TIMEOUT,
  );

  /** An incident over Åland, where the Stockholm–Helsinki flights cross overhead, and at Tallinn. */
  async function ålandIncident(): Promise<string> {
    const today = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
    const operator = apiClient(stack, 'operator');
    const created = await operator<Incident>('POST', '/incidents', {
      type: 'ash-cloud',
      title: 'Ash over Åland',
      severity: 'severe',
      window: { start: today, end: new Date(Date.parse(today) + 2 * 86_400_000).toISOString() },
      scope: {
        airports: ['TLL'],
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [19.3, 59.8],
              [21.2, 59.8],
              [21.2, 60.5],
              [19.3, 60.5],
              [19.3, 59.8],
            ],
          ],
        },
        includeOverflights: true,
      },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function previewPage(incidentId: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signInToConsole(page, stack, 'olli.operator');
    await page.goto(`${stack.apiUrl}/console/#/incidents/${encodeURIComponent(incidentId)}`);
    await page.getByLabel('Approved template').selectOption('ash-cloud-closure');
    return { page, errors };
  }

  const routesCanvas = (page: Page) => page.locator('canvas.map-routes');

  /** Clicks a drawn pixel of the routes' canvas: some route passes there. */
  async function clickARoute(page: Page): Promise<void> {
    const canvas = routesCanvas(page);
    await canvas.scrollIntoViewIfNeeded();
    // The first opaque pixel, as a fraction of the canvas (this runs in the page: no DOM types here).
    const drawn = await canvas.evaluate((element) => {
      const routes = element as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(...box: number[]): { data: Uint8ClampedArray } } | null;
      };
      const pixels = routes.getContext('2d')?.getImageData(0, 0, routes.width, routes.height).data ?? [];
      for (let alpha = 3; alpha < pixels.length; alpha += 4)
        if ((pixels[alpha] ?? 0) > 100) {
          const pixel = (alpha - 3) / 4;
          return {
            x: (pixel % routes.width) / routes.width,
            y: Math.floor(pixel / routes.width) / routes.height,
          };
        }
      return undefined;
    });
    const box = await canvas.boundingBox();
    if (!drawn || !box) throw new Error('No route drawn on the canvas');
    await page.mouse.click(box.x + drawn.x * box.width, box.y + drawn.y * box.height);
  }

  it(
    'draws as many routes as the preview lists affected flights, overflights apart; a click on one tells its flight',
    async () => {
      const { page, errors } = await previewPage(await ålandIncident());
      await page.getByRole('button', { name: 'Preview' }).click();
      await routesCanvas(page).waitFor();

      const listed = Number(
        /\((\d+)\)/.exec((await page.getByText(/^Affected flights \(/).textContent()) ?? '')?.[1],
      );
      await page.getByText(/^Affected flights \(/).click();
      const rows = page.getByRole('region', { name: 'Affected flights' }).locator('tbody tr');
      expect(await rows.count()).toBe(listed);
      expect(listed).toBeGreaterThan(0);
      expect(Number(await routesCanvas(page).getAttribute('data-routes'))).toBe(listed);
      // Stockholm–Helsinki flights cross Åland; Tallinn's are the scope's own.
      const overflights = Number(await routesCanvas(page).getAttribute('data-overflights'));
      expect(overflights).toBe(await rows.filter({ hasText: '(overhead)' }).count());
      expect(overflights).toBeGreaterThan(0);
      expect(overflights).toBeLessThan(listed);
      const caption = await page.locator('figure.map figcaption').textContent();
      expect(caption).toContain(
        `Map of ${listed} affected flight routes (${overflights} crossing the area overhead`,
      );
      // Every Helsinki flight is affected (the hub of the demo airline); Tallinn's twelve are the scope's own.
      expect(caption).toContain(`HEL ${listed}`);
      expect(caption).toMatch(/TLL \d+/);

      await clickARoute(page);
      const detail = (await page.locator('.route-detail').textContent()) ?? '';
      const [, flightNumber] =
        /^(\w+) on \d{4}-\d{2}-\d{2}: \w{3} → \w{3}, \d+ affected passengers?/.exec(detail) ?? [];
      expect(flightNumber, detail).toBeDefined();
      expect(await rows.filter({ hasText: flightNumber }).count()).toBeGreaterThan(0);

      await page.screenshot({ path: resolve(SCREENSHOTS, 'map-02-preview-routes.png'), fullPage: true });
      await page.setViewportSize(PHONE_SCREEN);
      await expectFitsAPhone(page, 'the preview map');
      expect(errors).toEqual([]);
      await page.close();
    },
    FLOW_TIMEOUT,
  );

  it(
    'draws 3,000 routes in one canvas, a click finds one, and prints the render time in Chromium',
    async () => {
      const { page, errors } = await previewPage(await ålandIncident());
      // The real preview, its flights replaced by 3,000 between distinct pairs of European airports.
      const european = ALL_AIRPORTS.filter(
        (airport) =>
          airport.longitude > -10 && airport.longitude < 40 && airport.latitude > 36 && airport.latitude < 70,
      );
      await page.route('**/preview', async (route) => {
        const response = await route.fetch();
        const preview = (await response.json()) as Preview;
        const template = preview.affectedFlights[0] as AffectedFlightSummary;
        const flights = Array.from({ length: ROUTES_MEASURED }, (_, index): AffectedFlightSummary => {
          const origin = european[index % european.length] as Airport;
          // Past the first round of origins, each destination shifts by one: every pair distinct.
          const round = Math.floor(index / european.length);
          const destination = european[(index * 7 + 1 + round) % european.length] as Airport;
          return {
            ...template,
            flightNumber: `XX${index}`,
            origin: origin.iata,
            destination: destination.iata,
            overflight: index % 3 === 0,
          };
        });
        const airports = Object.fromEntries(
          european.map(({ iata, name, latitude, longitude }) => [iata, { name, latitude, longitude }]),
        );
        await route.fulfill({ response, json: { ...preview, affectedFlights: flights, airports } });
      });
      await page.getByRole('button', { name: 'Preview' }).click();
      const canvas = routesCanvas(page);
      await canvas.waitFor();
      expect(Number(await canvas.getAttribute('data-routes'))).toBe(ROUTES_MEASURED);
      const renderMs = Number(await canvas.getAttribute('data-render-ms'));
      console.info(`${ROUTES_MEASURED} routes: paths and drawing took ${renderMs} ms in Chromium`);
      // A figure to read, not a limit: a timing asserted on a shared machine fails for the machine.
      expect(renderMs).toBeGreaterThan(0);

      const clickStarted = Date.now();
      await clickARoute(page);
      await page
        .locator('.route-detail')
        .getByText(/affected passenger/)
        .waitFor();
      console.info(
        `a click found its route among ${ROUTES_MEASURED} in ${Date.now() - clickStarted} ms (with Playwright's round trip)`,
      );
      await page.screenshot({ path: resolve(SCREENSHOTS, 'map-03-3000-routes.png') });
      expect(errors).toEqual([]);
      await page.close();
    },
    FLOW_TIMEOUT,
  );
});
