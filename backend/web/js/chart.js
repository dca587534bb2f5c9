// A small SVG chart module (no library, nothing fetched): horizontal bars for spending by
// category, paired columns for money in and out per month. Each chart carries a text
// summary for screen readers and a <title> per bar for the mouse.

const NS = "http://www.w3.org/2000/svg";
export const COLORS = { out: "#0f766e", in: "#84cc16", muted: "#cbd5dc" };

function svgNode(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function shortMoney(value) {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

/** The drawing's width: the screen's, up to 560, so that text keeps its size on a phone. */
function drawingWidth() {
  return Math.max(280, Math.min(560, window.innerWidth - 64));
}

/** Bars of [{label, value}] (largest first), one row each. */
export function barChart(rows, { label, format }) {
  const width = drawingWidth();
  const rowHeight = 30;
  const labelWidth = Math.round(width * 0.3);
  const valueWidth = 84;
  const maxChars = Math.floor((labelWidth - 10) / 7.5);  // ~7 px per character at 12 px
  const height = Math.max(1, rows.length) * rowHeight + 8;
  const max = Math.max(...rows.map((row) => row.value)) || 1;
  const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  svg.append(svgNode("desc", {}, rows.map((row) => `${row.label}: ${format(row.value)}`).join("; ")));
  rows.forEach((row, index) => {
    const y = index * rowHeight + 4;
    const barWidth = Math.max(2, ((width - labelWidth - valueWidth) * row.value) / max);
    const name = row.label.length > maxChars ? `${row.label.slice(0, maxChars - 1)}…` : row.label;
    svg.append(svgNode("text", { x: labelWidth - 10, y: y + 17, "text-anchor": "end" }, name));
    const bar = svgNode("rect", { x: labelWidth, y: y + 4, width: barWidth, height: rowHeight - 10, rx: 4, fill: row.color || COLORS.out });
    bar.append(svgNode("title", {}, `${row.label}: ${format(row.value)}`));
    svg.append(bar);
    svg.append(svgNode("text", { x: labelWidth + barWidth + 8, y: y + 17, class: "value" }, format(row.value)));
  });
  return svg;
}

// The narrowest a month's pair of columns and its tick may be; more months than fit the
// screen widen the drawing, which its box then scrolls sideways (.chart-scroll).
const MIN_SLOT = 46;

/** Paired columns per month: [{label, in, out, tick}] (tick: the lines under the pair,
 * e.g. ["Aug", "2015"]; the label by default). The drawing is wider than the screen when
 * every month does not fit; its `dataset.wide` says so. */
export function columnChart(months, { label, format }) {
  const left = 48;
  const width = Math.max(drawingWidth(), Math.ceil(left + MIN_SLOT * months.length));
  const height = 250;
  const bottom = 38;
  const top = 10;
  const plotHeight = height - bottom - top;
  const max = Math.max(...months.flatMap((month) => [month.in, month.out])) || 1;
  const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  if (width > drawingWidth()) {  // drawn at its own size, not squeezed into the box
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.dataset.wide = "true";
  }
  svg.append(svgNode("desc", {}, months.map((m) => `${m.label}: in ${format(m.in)}, out ${format(m.out)}`).join("; ")));
  for (let step = 0; step <= 4; step += 1) {
    const value = (max * step) / 4;
    const y = top + plotHeight - (plotHeight * step) / 4;
    svg.append(svgNode("line", { x1: left, x2: width, y1: y, y2: y, stroke: "#e8edf1" }));
    svg.append(svgNode("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, shortMoney(value)));
  }
  const slot = (width - left) / Math.max(1, months.length);
  const barWidth = Math.min(28, slot / 3);
  months.forEach((month, index) => {
    const center = left + slot * index + slot / 2;
    [["in", center - barWidth - 1, COLORS.in, "In"], ["out", center + 1, COLORS.out, "Out"]].forEach(([key, x, color, word]) => {
      const barHeight = (plotHeight * month[key]) / max;
      const bar = svgNode("rect", { x, y: top + plotHeight - barHeight, width: barWidth, height: Math.max(0, barHeight), rx: 3, fill: color });
      bar.append(svgNode("title", {}, `${month.label} · ${word}: ${format(month[key])}`));
      svg.append(bar);
    });
    const tick = svgNode("text", { x: center, y: height - 22, "text-anchor": "middle" });
    (month.tick || [month.label]).forEach((line, row) => {
      tick.append(svgNode("tspan", { x: center, dy: row ? 14 : 0 }, line));
    });
    svg.append(tick);
  });
  return svg;
}
