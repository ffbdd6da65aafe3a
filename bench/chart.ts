/** A small SVG line chart of cumulative sends over time, one line per series; no dependencies. */

export interface Series {
  label: string;
  /** Seconds since the broadcast was accepted, one per send. */
  times: number[];
}

const WIDTH = 800;
const HEIGHT = 420;
const MARGIN = { top: 30, right: 20, bottom: 50, left: 70 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

export function sendsOverTimeSvg(series: Series[]): string {
  const maxTime = Math.max(1, ...series.flatMap((line) => line.times));
  const maxCount = Math.max(1, ...series.map((line) => line.times.length));
  const x = (seconds: number) => MARGIN.left + (seconds / maxTime) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (count: number) =>
    HEIGHT - MARGIN.bottom - (count / maxCount) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const lines = series.map((line, index) => {
    // At most ~400 points a line: enough for the eye, small enough for the file.
    const step = Math.max(1, Math.floor(line.times.length / 400));
    const points = line.times
      .filter((_, position) => position % step === 0 || position === line.times.length - 1)
      .map(
        (time, position) =>
          `${x(time).toFixed(1)},${y(Math.min(line.times.length, position * step + 1)).toFixed(1)}`,
      );
    const colour = COLOURS[index % COLOURS.length];
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>
<text x="${MARGIN.left + 10}" y="${MARGIN.top + 16 * (index + 1)}" fill="${colour}" font-size="13">${line.label}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="15">SMS received by the Twilio sandbox, cumulative</text>
<line x1="${MARGIN.left}" y1="${HEIGHT - MARGIN.bottom}" x2="${WIDTH - MARGIN.right}" y2="${HEIGHT - MARGIN.bottom}" stroke="black"/>
<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${HEIGHT - MARGIN.bottom}" stroke="black"/>
<text x="${WIDTH / 2}" y="${HEIGHT - 12}" text-anchor="middle" font-size="13">seconds after the broadcast was accepted (max ${maxTime.toFixed(0)} s)</text>
<text x="16" y="${HEIGHT / 2}" font-size="13" transform="rotate(-90 16 ${HEIGHT / 2})" text-anchor="middle">messages (max ${maxCount})</text>
${lines.join('\n')}
</svg>
`;
}
