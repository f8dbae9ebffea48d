/**
 * The follow-up page's charts, drawn here as inline SVG markup: pure functions of the figures and the
 * words to show (no DOM, no message files), so the unit tests can read what they draw. No charting
 * library: these few shapes cost a few kilobytes, a library a hundred.
 *
 * Every chart is role="img" with a summary as its accessible name; the table beneath it is the full
 * accessible equivalent. Nothing is told by colour alone: series differ by pattern or marker shape as
 * well, and carry direct labels. Every mark colour has at least 4.5:1 contrast against white (3:1 is
 * the minimum for graphics). A value is `null` when the API suppressed it (it is left out and counted
 * in `omitted`, so the page can say so), `undefined` when there is no figure at all.
 */

export type Value = number | null | undefined;
export type Label = { key: string; label: string };
export type Format = (value: number) => string;
export type ChartResult = {
  svg: string;
  /** Suppressed values left out of the chart. */
  omitted: number;
};

/** Mark colours, each ≥ 4.5:1 against white. */
export const PALETTE = ['#215a8c', '#9c4a00', '#1e5f4f', '#6b3fa0', '#b3261e', '#4b5563'] as const;
export const TEXT_COLOUR = '#1b1f23';
const AXIS_COLOUR = '#6b7280';
const GRID_COLOUR = '#d1d5db';
const TRACK_COLOUR = '#f3f4f6';
/** The fill patterns that tell series apart without colour. */
export const PATTERNS = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical'] as const;
/** Marker shapes, for line and dot charts. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'bar'] as const;
const DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 2', '1 2'] as const;

const WIDTH = 640;
const FONT = 14;
const SMALL = 12;

/** Text for SVG markup: every label and number goes through here. */
export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A rough width of a text, for laying out label columns (no measuring without a DOM). */
export const textWidth = (text: string, size = FONT) => Math.ceil(text.length * size * 0.62);

const round = (value: number) => Math.round(value * 100) / 100;

/** WCAG 2.1 contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((start) => {
      const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A round upper bound and step for an axis from 0 to `max`: steps of 1, 2, 2.5 or 5 × 10ⁿ. */
export function niceScale(max: number, options: { ticks?: number; integer?: boolean } = {}) {
  const ticks = options.ticks ?? 4;
  if (!(max > 0)) return { max: 1, step: options.integer ? 1 : 0.25 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiples = options.integer && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let step = (multiples.map((m) => m * power).find((s) => s >= raw - 1e-9) ?? 10 * power) as number;
  if (options.integer) step = Math.max(1, Math.round(step));
  step = Number(step.toPrecision(6));
  return { max: Number((Math.ceil(max / step - 1e-9) * step).toPrecision(6)), step };
}

const tickValues = (scale: { max: number; step: number }) => {
  const values: number[] = [];
  for (let index = 0; index * scale.step <= scale.max + 1e-9; index++)
    values.push(Number((index * scale.step).toPrecision(6)));
  return values;
};

const attrs = (values: Record<string, string | number | undefined>) =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(
      ([name, value]) =>
        ` ${name}="${typeof value === 'number' ? round(value) : escapeXml(value as string)}"`,
    )
    .join('');

const el = (tag: string, values: Record<string, string | number | undefined>, content?: string) =>
  content === undefined ? `<${tag}${attrs(values)}/>` : `<${tag}${attrs(values)}>${content}</${tag}>`;

const text = (
  x: number,
  y: number,
  content: string,
  options: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: string; cls?: string } = {},
) =>
  el(
    'text',
    {
      x,
      y,
      'text-anchor': options.anchor === 'start' ? undefined : options.anchor,
      'dominant-baseline': 'middle',
      'font-size': options.size ?? FONT,
      'font-weight': options.weight,
      fill: TEXT_COLOUR,
      class: options.cls,
    },
    escapeXml(content),
  );

/** The chart's frame: role="img", named by the summary, sized by its view box. */
function frame(id: string, summary: string, width: number, height: number, defs: string, body: string) {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeXml(id)}" role="img"` +
    ` aria-label="${escapeXml(summary)}" viewBox="0 0 ${round(width)} ${round(height)}"` +
    ` width="${round(width)}" height="${round(height)}" focusable="false">` +
    `<title>${escapeXml(summary)}</title>${defs ? `<defs>${defs}</defs>` : ''}${body}</svg>`
  );
}

/** The fill of series `index`: its colour, and its pattern painted in that colour on white. */
function paints(id: string) {
  const defined = new Set<number>();
  let defs = '';
  const define = (index: number) => {
    const pattern = PATTERNS[index % PATTERNS.length] as (typeof PATTERNS)[number];
    const colour = PALETTE[index % PALETTE.length] as string;
    if (pattern === 'solid' || defined.has(index)) return;
    defined.add(index);
    const inner: Record<Exclude<(typeof PATTERNS)[number], 'solid'>, string> = {
      diagonal: el('rect', { width: 3, height: 6, fill: colour }),
      dots: el('circle', { cx: 3, cy: 3, r: 1.9, fill: colour }),
      cross:
        el('rect', { width: 2, height: 6, fill: colour }) + el('rect', { width: 6, height: 2, fill: colour }),
      horizontal: el('rect', { width: 6, height: 3, fill: colour }),
      vertical: el('rect', { width: 3, height: 6, fill: colour }),
    };
    defs += el(
      'pattern',
      {
        id: `${id}-p${index}`,
        patternUnits: 'userSpaceOnUse',
        width: 6,
        height: 6,
        patternTransform: pattern === 'diagonal' || pattern === 'cross' ? 'rotate(45)' : undefined,
      },
      el('rect', { width: 6, height: 6, fill: '#fff' }) + inner[pattern],
    );
  };
  return {
    /** `fill` and `stroke` attributes for series `index`. */
    of(index: number): { fill: string; stroke: string } {
      define(index);
      const colour = PALETTE[index % PALETTE.length] as string;
      const pattern = PATTERNS[index % PATTERNS.length];
      return { fill: pattern === 'solid' ? colour : `url(#${id}-p${index})`, stroke: colour };
    },
    defs: () => defs,
  };
}

/** A marker of a shape at (x, y), `size` across. */
export function marker(shape: (typeof SHAPES)[number], x: number, y: number, size: number, colour: string) {
  const r = size / 2;
  switch (shape) {
    case 'circle':
      return el('circle', { cx: x, cy: y, r, fill: colour });
    case 'square':
      return el('rect', { x: x - r, y: y - r, width: size, height: size, fill: colour });
    case 'triangle':
      return el('path', {
        d: `M${round(x)} ${round(y - r)}L${round(x + r)} ${round(y + r)}L${round(x - r)} ${round(y + r)}Z`,
        fill: colour,
      });
    case 'diamond':
      return el('path', {
        d: `M${round(x)} ${round(y - r)}L${round(x + r)} ${round(y)}L${round(x)} ${round(y + r)}L${round(x - r)} ${round(y)}Z`,
        fill: colour,
      });
    case 'cross':
      return el('path', {
        d: `M${round(x - r)} ${round(y - r)}L${round(x + r)} ${round(y + r)}M${round(x + r)} ${round(y - r)}L${round(x - r)} ${round(y + r)}`,
        stroke: colour,
        'stroke-width': 3,
      });
    default:
      return el('rect', { x: x - r / 3, y: y - r, width: (2 * r) / 3, height: size, fill: colour });
  }
}

/** A legend row (wrapping): a swatch per item, then its label. Returns the markup and its height. */
function legend(
  items: readonly string[],
  swatch: (index: number, x: number, y: number) => string,
  y: number,
  width = WIDTH,
): { svg: string; height: number } {
  let x = 0;
  let row = 0;
  let svg = '';
  items.forEach((label, index) => {
    const size = 26 + textWidth(label, SMALL) + 18;
    if (x > 0 && x + size > width) {
      x = 0;
      row++;
    }
    const top = y + row * 22;
    svg += swatch(index, x, top) + text(x + 24, top + 8, label, { size: SMALL });
    x += size;
  });
  return { svg: `<g class="chart__legend">${svg}</g>`, height: (row + 1) * 22 + 6 };
}

const boxSwatch = (colours: ReturnType<typeof paints>) => (index: number, x: number, y: number) => {
  const paint = colours.of(index);
  return el('rect', {
    x,
    y,
    width: 16,
    height: 16,
    fill: paint.fill,
    stroke: paint.stroke,
    'stroke-width': 1.5,
  });
};

/** Vertical grid lines with their tick labels under a horizontal scale. */
function xAxis(
  scale: { max: number; step: number },
  x0: number,
  width: number,
  top: number,
  bottom: number,
  format: Format,
) {
  return tickValues(scale)
    .map((tick) => {
      const x = x0 + (tick / scale.max) * width;
      return (
        el('line', {
          x1: x,
          x2: x,
          y1: top,
          y2: bottom,
          stroke: tick === 0 ? AXIS_COLOUR : GRID_COLOUR,
          'stroke-width': 1,
        }) + text(x, bottom + 12, format(tick), { anchor: 'middle', size: SMALL })
      );
    })
    .join('');
}

const maxOf = (values: readonly Value[]) =>
  values.reduce<number>((max, value) => (typeof value === 'number' && value > max ? value : max), 0);

const countSuppressed = (values: readonly Value[]) => values.filter((value) => value === null).length;

/**
 * Horizontal bars grouped by category, one bar per series (e.g. target group × gender); `values` is
 * [category][series]. Each bar has its value at its end; the series differ by pattern too.
 */
export function groupedBars(input: {
  id: string;
  summary: string;
  categories: readonly Label[];
  series: readonly Label[];
  values: readonly (readonly Value[])[];
  format: Format;
  /** The scale's end, e.g. 100 for shares; else from the largest value. */
  max?: number;
  integer?: boolean;
}): ChartResult {
  const colours = paints(input.id);
  const flat = input.values.flat();
  const scale = input.max
    ? { max: input.max, step: input.max / 4 }
    : niceScale(maxOf(flat), { integer: input.integer ?? false });
  const labelWidth = Math.min(240, Math.max(40, ...input.categories.map((c) => textWidth(c.label)))) + 12;
  const valueRoom = 64;
  const plotWidth = WIDTH - labelWidth - valueRoom;
  const key = legend(
    input.series.map((s) => s.label),
    boxSwatch(colours),
    0,
  );
  const bar = 18;
  const gap = 3;
  const groupHeight = input.series.length * (bar + gap) + 14;
  const top = key.height + 6;
  const plotBottom = top + input.categories.length * groupHeight;
  let body = xAxis(scale, labelWidth, plotWidth, top - 4, plotBottom, input.format);
  input.categories.forEach((category, c) => {
    const groupTop = top + c * groupHeight;
    body += text(labelWidth - 10, groupTop + (groupHeight - 14) / 2, category.label, {
      anchor: 'end',
      weight: '700',
    });
    input.series.forEach((_series, s) => {
      const value = input.values[c]?.[s];
      if (typeof value !== 'number') return;
      const y = groupTop + s * (bar + gap);
      const width = (Math.min(value, scale.max) / scale.max) * plotWidth;
      const paint = colours.of(s);
      body +=
        el('rect', {
          x: labelWidth,
          y,
          width,
          height: bar,
          fill: paint.fill,
          stroke: paint.stroke,
          'stroke-width': 1.5,
          class: 'chart__bar',
        }) + text(labelWidth + width + 5, y + bar / 2 + 1, input.format(value), { size: SMALL });
    });
  });
  return {
    svg: frame(input.id, input.summary, WIDTH, plotBottom + 26, colours.defs(), key.svg + body),
    omitted: countSuppressed(flat),
  };
}

/**
 * Lines over periods, one per series (e.g. new participants per month by target group); `values` is
 * [series][period]. A suppressed or missing point breaks its line. Lines differ by dash and marker
 * shape, and each is labelled at its last point.
 */
export function lines(input: {
  id: string;
  summary: string;
  periods: readonly Label[];
  series: readonly Label[];
  values: readonly (readonly Value[])[];
  format: Format;
  integer?: boolean;
}): ChartResult {
  const flat = input.values.flat();
  const scale = niceScale(maxOf(flat), { integer: input.integer ?? false });
  const swatch = (index: number, x: number, y: number) =>
    el('line', {
      x1: x,
      x2: x + 18,
      y1: y + 8,
      y2: y + 8,
      stroke: PALETTE[index % PALETTE.length],
      'stroke-width': 2.5,
      'stroke-dasharray': DASHES[index % DASHES.length],
    }) +
    marker(
      SHAPES[index % SHAPES.length] as (typeof SHAPES)[number],
      x + 9,
      y + 8,
      8,
      PALETTE[index % PALETTE.length] as string,
    );
  const key = legend(
    input.series.map((s) => s.label),
    swatch,
    0,
  );
  const left = Math.max(36, ...tickValues(scale).map((tick) => textWidth(input.format(tick), SMALL))) + 10;
  const endRoom = Math.min(160, Math.max(...input.series.map((s) => textWidth(s.label, SMALL)), 0)) + 34;
  const top = key.height + 14;
  const plotHeight = 200;
  const plotWidth = WIDTH - left - endRoom;
  const n = input.periods.length;
  const x = (index: number) => left + (n <= 1 ? plotWidth / 2 : (index / (n - 1)) * plotWidth);
  const y = (value: number) => top + plotHeight - (Math.min(value, scale.max) / scale.max) * plotHeight;
  let body = tickValues(scale)
    .map(
      (tick) =>
        el('line', {
          x1: left,
          x2: left + plotWidth,
          y1: y(tick),
          y2: y(tick),
          stroke: tick === 0 ? AXIS_COLOUR : GRID_COLOUR,
          'stroke-width': 1,
        }) + text(left - 8, y(tick), input.format(tick), { anchor: 'end', size: SMALL }),
    )
    .join('');
  const every = Math.max(1, Math.ceil(n / Math.floor(plotWidth / 48)));
  input.periods.forEach((period, index) => {
    if (index % every === 0 || index === n - 1)
      body += text(x(index), top + plotHeight + 16, period.label, { anchor: 'middle', size: SMALL });
  });
  const ends: { y: number; label: string; colour: string; shape: (typeof SHAPES)[number] }[] = [];
  input.series.forEach((series, s) => {
    const colour = PALETTE[s % PALETTE.length] as string;
    const shape = SHAPES[s % SHAPES.length] as (typeof SHAPES)[number];
    let d = '';
    let pen = false;
    let last: { x: number; y: number } | undefined;
    input.periods.forEach((_period, index) => {
      const value = input.values[s]?.[index];
      if (typeof value !== 'number') {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${round(x(index))} ${round(y(value))}`;
      pen = true;
      last = { x: x(index), y: y(value) };
      body += marker(shape, x(index), y(value), 9, colour);
    });
    if (d)
      body =
        el('path', {
          d,
          fill: 'none',
          stroke: colour,
          'stroke-width': 2.5,
          'stroke-dasharray': DASHES[s % DASHES.length],
          class: 'chart__line',
        }) + body;
    if (last) ends.push({ y: last.y, label: series.label, colour, shape });
  });
  // End labels: in order down the chart, pushed apart so that none overlaps the next.
  ends.sort((a, b) => a.y - b.y);
  for (let index = 1; index < ends.length; index++) {
    const previous = ends[index - 1] as { y: number };
    const current = ends[index] as { y: number };
    if (current.y - previous.y < 15) current.y = previous.y + 15;
  }
  // Each end label repeats its line's marker, so that a label pushed away from its line still matches it.
  for (const end of ends)
    body +=
      marker(end.shape, left + plotWidth + 16, end.y, 8, end.colour) +
      text(left + plotWidth + 26, end.y, end.label, { size: SMALL, weight: '700' });
  return {
    svg: frame(
      input.id,
      input.summary,
      WIDTH,
      Math.max(top + plotHeight + 30, (ends.at(-1)?.y ?? 0) + 12),
      '',
      key.svg + body,
    ),
    omitted: countSuppressed(flat),
  };
}

/**
 * A population pyramid: one row per band (youngest at the bottom), the first side's bars growing
 * left from the middle and the second side's right; `values` is [row][side]. The sides are named
 * above their halves and differ by pattern too.
 */
export function pyramid(input: {
  id: string;
  summary: string;
  rows: readonly Label[];
  sides: readonly [Label, Label];
  values: readonly (readonly Value[])[];
  format: Format;
}): ChartResult {
  const colours = paints(input.id);
  const flat = input.values.flat();
  const scale = niceScale(maxOf(flat), { integer: true, ticks: 2 });
  const gutter = Math.max(70, ...input.rows.map((row) => textWidth(row.label, SMALL))) + 16;
  const valueRoom = 40;
  const half = (WIDTH - gutter) / 2 - valueRoom;
  const middleLeft = valueRoom + half;
  const middleRight = middleLeft + gutter;
  const bar = 22;
  const rowHeight = bar + 8;
  const top = 30;
  const paint0 = colours.of(0);
  const paint1 = colours.of(1);
  const swatch = (paint: { fill: string; stroke: string }, x: number) =>
    el('rect', {
      x,
      y: 2,
      width: 16,
      height: 16,
      fill: paint.fill,
      stroke: paint.stroke,
      'stroke-width': 1.5,
    });
  // The sides are named above their halves, each with its swatch: no legend to look up.
  let body =
    swatch(paint0, middleLeft - textWidth(input.sides[0].label) - 24) +
    text(middleLeft, 11, input.sides[0].label, { anchor: 'end', weight: '700' }) +
    swatch(paint1, middleRight) +
    text(middleRight + 22, 11, input.sides[1].label, { weight: '700' });
  const rows = [...input.rows.keys()].reverse();
  rows.forEach((rowIndex, position) => {
    const y = top + position * rowHeight;
    body += text((middleLeft + middleRight) / 2, y + bar / 2 + 1, input.rows[rowIndex]?.label ?? '', {
      anchor: 'middle',
      size: SMALL,
      weight: '700',
    });
    [0, 1].forEach((side) => {
      const value = input.values[rowIndex]?.[side];
      if (typeof value !== 'number') return;
      const width = (Math.min(value, scale.max) / scale.max) * half;
      const paint = side === 0 ? paint0 : paint1;
      const x = side === 0 ? middleLeft - width : middleRight;
      body +=
        el('rect', {
          x,
          y,
          width,
          height: bar,
          fill: paint.fill,
          stroke: paint.stroke,
          'stroke-width': 1.5,
          class: 'chart__bar',
        }) +
        (side === 0
          ? text(x - 5, y + bar / 2 + 1, input.format(value), { anchor: 'end', size: SMALL })
          : text(x + width + 5, y + bar / 2 + 1, input.format(value), { size: SMALL }));
    });
  });
  const bottom = top + rows.length * rowHeight;
  body +=
    el('line', { x1: middleLeft, x2: middleLeft, y1: top - 4, y2: bottom, stroke: AXIS_COLOUR }) +
    el('line', { x1: middleRight, x2: middleRight, y1: top - 4, y2: bottom, stroke: AXIS_COLOUR });
  return {
    svg: frame(input.id, input.summary, WIDTH, bottom + 6, colours.defs(), body),
    omitted: countSuppressed(flat),
  };
}

export type Box = { p25: number; median: number; p75: number };

/**
 * Box-plot-like rows (e.g. lead time per step): a box from the 25th to the 75th percentile with a
 * heavy line at the median, and the figures written beside it; `null` is a suppressed row.
 */
export function boxes(input: {
  id: string;
  summary: string;
  rows: readonly Label[];
  boxes: readonly (Box | null | undefined)[];
  format: Format;
  /** Words beside a box, e.g. "median 12 days (8–15)". */
  describe: (box: Box) => string;
}): ChartResult {
  const present = input.boxes.filter((box): box is Box => Boolean(box));
  const scale = niceScale(Math.max(0, ...present.map((box) => box.p75)), { integer: true });
  const labelWidth = Math.min(240, Math.max(40, ...input.rows.map((row) => textWidth(row.label)))) + 12;
  const plotWidth = WIDTH - labelWidth - 20;
  const rowHeight = 50;
  const top = 8;
  const bottom = top + input.rows.length * rowHeight;
  let body = xAxis(scale, labelWidth, plotWidth, top, bottom, input.format);
  const at = (value: number) => labelWidth + (Math.min(value, scale.max) / scale.max) * plotWidth;
  input.rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    body += text(labelWidth - 10, y + 14, row.label, { anchor: 'end', weight: '700' });
    const box = input.boxes[index];
    if (!box) return;
    const x1 = at(box.p25);
    const x2 = at(box.p75);
    body +=
      el('rect', {
        x: x1,
        y: y + 4,
        width: Math.max(2, x2 - x1),
        height: 20,
        fill: '#dbe7f3',
        stroke: PALETTE[0],
        'stroke-width': 2,
        class: 'chart__box',
      }) +
      el('line', {
        x1: at(box.median),
        x2: at(box.median),
        y1: y,
        y2: y + 28,
        stroke: TEXT_COLOUR,
        'stroke-width': 4,
        class: 'chart__median',
      });
    const words = input.describe(box);
    const labelX = at(box.median);
    const anchor = labelX > labelWidth + plotWidth * 0.6 ? 'end' : 'start';
    body += text(anchor === 'end' ? Math.min(labelX, labelWidth + plotWidth) : labelX, y + 38, words, {
      anchor,
      size: SMALL,
    });
  });
  return {
    svg: frame(input.id, input.summary, WIDTH, bottom + 26, '', body),
    omitted: input.boxes.filter((box) => box === null).length,
  };
}

/**
 * 100 % stacked bars (e.g. outcomes per target group); `values` is [row][segment] in any unit, each
 * row shown as shares of its shown values. A segment wide enough carries its share; a suppressed
 * segment is left out of its row.
 */
export function stackedShares(input: {
  id: string;
  summary: string;
  rows: readonly Label[];
  segments: readonly Label[];
  values: readonly (readonly Value[])[];
  /** Formats a share in per cent. */
  format: Format;
}): ChartResult {
  const colours = paints(input.id);
  const flat = input.values.flat();
  const labelWidth = Math.min(240, Math.max(40, ...input.rows.map((row) => textWidth(row.label)))) + 12;
  const plotWidth = WIDTH - labelWidth - 10;
  const key = legend(
    input.segments.map((s) => s.label),
    boxSwatch(colours),
    0,
  );
  const bar = 28;
  const rowHeight = bar + 12;
  const top = key.height + 6;
  let body = '';
  input.rows.forEach((row, r) => {
    const y = top + r * rowHeight;
    body += text(labelWidth - 10, y + bar / 2 + 1, row.label, { anchor: 'end', weight: '700' });
    const values = input.values[r] ?? [];
    const total = values.reduce<number>((sum, value) => sum + (typeof value === 'number' ? value : 0), 0);
    if (total <= 0) return;
    let x = labelWidth;
    input.segments.forEach((_segment, s) => {
      const value = values[s];
      if (typeof value !== 'number' || value <= 0) return;
      const share = (value / total) * 100;
      const width = (share / 100) * plotWidth;
      const paint = colours.of(s);
      body += el('rect', {
        x,
        y,
        width,
        height: bar,
        fill: paint.fill,
        stroke: '#fff',
        'stroke-width': 1.5,
        class: 'chart__segment',
      });
      const words = input.format(Math.round(share));
      const room = textWidth(words, SMALL) + 8;
      if (width >= room + 4) {
        body +=
          el('rect', {
            x: x + width / 2 - room / 2,
            y: y + bar / 2 - 9,
            width: room,
            height: 18,
            rx: 3,
            fill: '#fff',
          }) + text(x + width / 2, y + bar / 2 + 1, words, { anchor: 'middle', size: SMALL });
      }
      x += width;
    });
  });
  return {
    svg: frame(
      input.id,
      input.summary,
      WIDTH,
      top + input.rows.length * rowHeight + 4,
      colours.defs(),
      key.svg + body,
    ),
    omitted: countSuppressed(flat),
  };
}

export type Target = { value: number; label: string };

/**
 * Bullet charts: per row a bar for the value on a light track, and a tick per target with its label
 * above it (e.g. TG4's self-sufficiency against 5 % and 15 %). The value is written after the track.
 */
export function bullets(input: {
  id: string;
  summary: string;
  rows: readonly { label: string; value: Value; targets: readonly Target[] }[];
  format: Format;
  max?: number;
}): ChartResult {
  const values = input.rows.map((row) => row.value);
  const highest = Math.max(
    maxOf(values),
    ...input.rows.flatMap((row) => row.targets.map((target) => target.value)),
  );
  const scale = input.max ? { max: input.max, step: input.max / 4 } : niceScale(highest * 1.15);
  const valueRoom = 70;
  const plotWidth = WIDTH - valueRoom - 4;
  const rowHeight = 100;
  const at = (value: number) => (Math.min(Math.max(value, 0), scale.max) / scale.max) * plotWidth;
  let body = '';
  input.rows.forEach((row, index) => {
    const y = index * rowHeight;
    const track = y + 50;
    body +=
      text(0, y + 12, row.label, { weight: '700' }) +
      el('rect', { x: 0, y: track, width: plotWidth, height: 26, fill: TRACK_COLOUR, stroke: GRID_COLOUR });
    if (typeof row.value === 'number') {
      body +=
        el('rect', {
          x: 0,
          y: track + 7,
          width: at(row.value),
          height: 12,
          fill: PALETTE[0],
          class: 'chart__bar',
        }) + text(plotWidth + 8, track + 13, input.format(row.value), { size: FONT, weight: '700' });
    }
    for (const target of row.targets) {
      const x = at(target.value);
      const anchor = x < 30 ? 'start' : x > plotWidth - 30 ? 'end' : 'middle';
      body +=
        el('line', {
          x1: x,
          x2: x,
          y1: track - 6,
          y2: track + 32,
          stroke: TEXT_COLOUR,
          'stroke-width': 3,
          class: 'chart__target',
        }) + text(x, track - 14, target.label, { anchor, size: SMALL });
    }
    body +=
      text(0, track + 40, input.format(0), { size: SMALL }) +
      text(plotWidth, track + 40, input.format(scale.max), { anchor: 'end', size: SMALL });
  });
  return {
    svg: frame(input.id, input.summary, WIDTH, input.rows.length * rowHeight + 4, '', body),
    omitted: values.filter((value) => value === null).length,
  };
}

/**
 * A dumbbell chart: per row two points (e.g. women and men) joined by a line, each point a shape of
 * its own with its value beside it; `values` is [row][point].
 */
export function dumbbells(input: {
  id: string;
  summary: string;
  rows: readonly Label[];
  points: readonly [Label, Label];
  values: readonly (readonly Value[])[];
  format: Format;
  max?: number;
}): ChartResult {
  const flat = input.values.flat();
  const scale = input.max ? { max: input.max, step: input.max / 4 } : niceScale(maxOf(flat));
  const shapes = ['circle', 'square'] as const;
  const swatch = (index: number, x: number, y: number) =>
    marker(shapes[index] ?? 'circle', x + 8, y + 8, 12, PALETTE[index] as string);
  const key = legend(
    input.points.map((point) => point.label),
    swatch,
    0,
  );
  const labelWidth =
    Math.min(260, Math.max(40, ...input.rows.map((row) => textWidth(row.label, SMALL)))) + 12;
  const plotWidth = WIDTH - labelWidth - 30;
  const rowHeight = 44;
  const top = key.height + 10;
  const bottom = top + input.rows.length * rowHeight;
  const at = (value: number) =>
    labelWidth + (Math.min(Math.max(value, 0), scale.max) / scale.max) * plotWidth;
  let body = xAxis(scale, labelWidth, plotWidth, top - 4, bottom, input.format);
  input.rows.forEach((row, index) => {
    const y = top + index * rowHeight + 26;
    body += text(labelWidth - 10, y, row.label, { anchor: 'end', size: SMALL, weight: '700' });
    const [a, b] = [input.values[index]?.[0], input.values[index]?.[1]];
    if (typeof a === 'number' && typeof b === 'number')
      body += el('line', { x1: at(a), x2: at(b), y1: y, y2: y, stroke: AXIS_COLOUR, 'stroke-width': 3 });
    const shown = [a, b]
      .map((value, point) => ({ value, point }))
      .filter((entry): entry is { value: number; point: number } => typeof entry.value === 'number');
    const lowest = Math.min(...shown.map((entry) => entry.value));
    for (const { value, point } of shown) {
      body += marker(shapes[point] ?? 'circle', at(value), y, 13, PALETTE[point] as string);
      // Two points: the smaller value's words to its left, the larger's to its right, never on top.
      const left = shown.length === 2 && value === lowest && !(point === 1 && a === b);
      body += left
        ? text(at(value) - 11, y - 14, input.format(value), { anchor: 'end', size: SMALL })
        : text(at(value) + 11, y - 14, input.format(value), { size: SMALL });
    }
  });
  return {
    svg: frame(input.id, input.summary, WIDTH, bottom + 26, '', key.svg + body),
    omitted: countSuppressed(flat),
  };
}
