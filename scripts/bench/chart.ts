/**
 * A small SVG line chart (no dependencies): synth wall time against app size in resources,
 * one line per series. Written by `npm run bench`; the README shows the committed copy.
 */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** [resources, seconds] */
  readonly points: [number, number][];
}

const W = 640;
const H = 360;
const M = { left: 56, right: 16, top: 40, bottom: 48 };

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function renderChart(title: string, subtitle: string, series: Series[]): string {
  const all = series.flatMap((s) => s.points);
  const xStep = niceStep(Math.max(1, ...all.map((p) => p[0])), 6);
  const yStep = niceStep(Math.max(0.1, ...all.map((p) => p[1])), 5);
  const xMax = Math.ceil(Math.max(1, ...all.map((p) => p[0])) / xStep) * xStep;
  const yMax = Math.ceil(Math.max(0.1, ...all.map((p) => p[1])) / yStep) * yStep;
  const x = (v: number) => M.left + (v / xMax) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="30" fill="#555">${esc(subtitle)}</text>`,
  );
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    out.push(
      `<line x1="${x(v)}" y1="${y(0)}" x2="${x(v)}" y2="${y(yMax)}" stroke="#eee"/>`,
      `<text x="${x(v)}" y="${y(0) + 14}" text-anchor="middle" fill="#333">${Math.round(v)}</text>`,
    );
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${x(0)}" y1="${y(v)}" x2="${x(xMax)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${x(0) - 6}" y="${y(v) + 4}" text-anchor="end" fill="#333">${v.toFixed(v < 10 && yStep < 1 ? 1 : 0)} s</text>`,
    );
  }
  out.push(
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(yMax)}" stroke="#333"/>`,
    `<text x="${(x(0) + x(xMax)) / 2}" y="${H - 12}" text-anchor="middle" fill="#333">resources in the app</text>`,
  );
  series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const d = pts.map(([px, py], k) => `${k ? "L" : "M"}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="5,4"` : "";
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [px, py] of pts) {
      out.push(
        `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(s.label)}: ${px} resources, ${py.toFixed(2)} s</title></circle>`,
      );
    }
    const ly = M.top + 4 + i * 16;
    out.push(
      `<line x1="${M.left + 12}" y1="${ly}" x2="${M.left + 36}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${M.left + 42}" y="${ly + 4}" fill="#333">${esc(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
