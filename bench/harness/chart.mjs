// A dependency-free SVG line chart: the bench writes it next to its results so the README can show it.

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 72 };

/** Escapes text for SVG element content and attribute values. */
function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round numbers for axis ticks: 1, 2 or 5 times a power of ten, about `count` of them. */
function niceTicks(max, count = 6) {
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  const ticks = [0];
  while (ticks.at(-1) < max) ticks.push(ticks.at(-1) + step);
  return ticks;
}

/**
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} chart.xLabel
 * @param {string} chart.yLabel
 * @param {{ name: string, color: string, dashed?: boolean, points: [number, number][] }[]} chart.series
 * @returns {string} the SVG document
 */
export function lineChartSvg({ title, xLabel, yLabel, series }) {
  const all = series.flatMap((s) => s.points);
  const xTicks = niceTicks(Math.max(...all.map(([x]) => x)));
  const yTicks = niceTicks(Math.max(...all.map(([, y]) => y)));
  const xMax = xTicks.at(-1);
  const yMax = yTicks.at(-1);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x) => (MARGIN.left + (x / xMax) * plotWidth).toFixed(1);
  const sy = (y) => (MARGIN.top + plotHeight - (y / yMax) * plotHeight).toFixed(1);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const t of xTicks) {
    parts.push(
      `<line x1="${sx(t)}" y1="${sy(0)}" x2="${sx(t)}" y2="${sy(yMax)}" stroke="#e5e5e5"/>`,
      `<text x="${sx(t)}" y="${Number(sy(0)) + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  for (const t of yTicks) {
    parts.push(
      `<line x1="${sx(0)}" y1="${sy(t)}" x2="${sx(xMax)}" y2="${sy(t)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${Number(sy(t)) + 4}" text-anchor="end">${t}</text>`,
    );
  }
  parts.push(
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(xMax)}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(0)}" y2="${sy(yMax)}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, index) => {
    const path = s.points.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    if (!s.dashed) {
      for (const [x, y] of s.points)
        parts.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3.5" fill="${s.color}"/>`);
    }
    const legendY = MARGIN.top + 8 + index * 18;
    parts.push(
      `<line x1="${MARGIN.left + 12}" y1="${legendY}" x2="${MARGIN.left + 36}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${MARGIN.left + 42}" y="${legendY + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
