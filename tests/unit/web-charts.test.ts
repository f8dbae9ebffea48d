import { describe, expect, it } from 'vitest';
import {
  boxes,
  bullets,
  contrast,
  dumbbells,
  escapeXml,
  groupedBars,
  lines,
  niceScale,
  PALETTE,
  pyramid,
  stackedShares,
  TEXT_COLOUR,
} from '../../web/src/charts.js';

/** The follow-up page's charts: inline SVG drawn from the figures, the table beside them the equivalent. */

const format = (value: number) => String(value);
const percent = (value: number) => `${value} %`;

/** Each `<tag …>` of the markup with its attributes, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))].map((match) =>
    Object.fromEntries([...(match[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
  );
}
const withClass = (svg: string, tag: string, cls: string) =>
  elements(svg, tag).filter((attributes) => attributes.class === cls);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
const num = (value: string | undefined) => Number(value);

const sexes = [
  { key: 'women', label: 'Kvinnor' },
  { key: 'men', label: 'Män' },
];

describe('the charts of the follow-up page', () => {
  it('has mark colours with at least 3:1 contrast against white, and text with 4.5:1', () => {
    for (const colour of PALETTE) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
    expect(contrast(TEXT_COLOUR, '#ffffff')).toBeGreaterThan(7);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  it('rounds axes to steps of 1, 2, 2.5 or 5 × 10ⁿ, whole steps for counts', () => {
    expect(niceScale(87)).toEqual({ max: 100, step: 25 });
    expect(niceScale(12, { integer: true })).toEqual({ max: 15, step: 5 });
    expect(niceScale(3, { integer: true })).toEqual({ max: 3, step: 1 });
    expect(niceScale(0.3)).toEqual({ max: 0.3, step: 0.1 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.25 });
    expect(niceScale(0, { integer: true })).toEqual({ max: 1, step: 1 });
  });

  it('is an image named by its summary, with a title', () => {
    const { svg } = groupedBars({
      id: 'c1',
      summary: 'Nya deltagare: 12 "kvinnor" & <män>',
      categories: [{ key: 'TG1', label: 'TG1' }],
      series: sexes,
      values: [[12, 8]],
      format,
    });

    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart" id="c1" role="img"/);
    expect(svg).toContain('aria-label="Nya deltagare: 12 &quot;kvinnor&quot; &amp; &lt;män&gt;"');
    expect(svg).toContain('<title>Nya deltagare: 12 &quot;kvinnor&quot; &amp; &lt;män&gt;</title>');
    expect(escapeXml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });

  it('draws grouped bars to scale, each with its value and its series told apart by pattern', () => {
    const { svg, omitted } = groupedBars({
      id: 'new',
      summary: 'Nya deltagare',
      categories: [
        { key: 'TG1', label: 'TG1' },
        { key: 'TG4', label: 'TG4' },
      ],
      series: sexes,
      values: [
        [20, 10],
        [5, 0],
      ],
      format,
      integer: true,
    });

    const bars = withClass(svg, 'rect', 'chart__bar');
    expect(bars).toHaveLength(4);
    const widths = bars.map((bar) => num(bar.width));
    expect(widths[0]).toBeCloseTo(2 * (widths[1] ?? 0), 1);
    expect(widths[0]).toBeCloseTo(4 * (widths[2] ?? 0), 1);
    expect(widths[3]).toBe(0);
    // Women solid, men a pattern in their colour on white: not told apart by colour alone.
    expect(bars[0]?.fill).toBe(PALETTE[0]);
    expect(bars[1]?.fill).toBe('url(#new-p1)');
    expect(svg).toContain('<pattern id="new-p1"');
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['TG1', 'TG4', 'Kvinnor', 'Män', '20', '10', '5', '0']),
    );
    expect(omitted).toBe(0);
  });

  it('leaves suppressed values out of the bars, and counts them', () => {
    const { svg, omitted } = groupedBars({
      id: 'new',
      summary: 'Nya deltagare',
      categories: [{ key: 'TG1', label: 'TG1' }],
      series: sexes,
      values: [[null, 30]],
      format,
    });

    expect(withClass(svg, 'rect', 'chart__bar')).toHaveLength(1);
    expect(texts(svg)).toContain('30');
    expect(omitted).toBe(1);
  });

  it('breaks a line where a month is suppressed, marks each point and labels each line at its end', () => {
    const { svg, omitted } = lines({
      id: 'monthly',
      summary: 'Nya deltagare per månad',
      periods: ['jan', 'feb', 'mar', 'apr'].map((label) => ({ key: label, label })),
      series: [
        { key: 'TG1', label: 'TG1' },
        { key: 'TG2', label: 'TG2' },
      ],
      values: [
        [6, null, 8, 9],
        [10, 12, 14, undefined],
      ],
      format,
      integer: true,
    });

    const paths = withClass(svg, 'path', 'chart__line');
    expect(paths).toHaveLength(2);
    // TG1: two pieces (jan, then mar–apr); TG2 one piece of three points.
    expect(paths.find((path) => path.stroke === PALETTE[0])?.d?.match(/M/g)).toHaveLength(2);
    expect(paths.find((path) => path.stroke === PALETTE[1])?.d?.match(/L/g)).toHaveLength(2);
    expect(paths.find((path) => path.stroke === PALETTE[1])?.['stroke-dasharray']).toBeTruthy();
    expect(omitted).toBe(1);
    expect(texts(svg).filter((text) => text === 'TG1')).toHaveLength(2); // legend and end label
    expect(texts(svg)).toEqual(expect.arrayContaining(['jan', 'feb', 'mar', 'apr']));
  });

  it('draws a pyramid with the first side growing left and the second right from the middle', () => {
    const { svg, omitted } = pyramid({
      id: 'ages',
      summary: 'Ålder och kön',
      rows: [
        { key: '16-24', label: '16–24' },
        { key: '25-29', label: '25–29' },
      ],
      sides: [sexes[0]!, sexes[1]!],
      values: [
        [10, 5],
        [null, 20],
      ],
      format,
    });

    const bars = withClass(svg, 'rect', 'chart__bar');
    expect(bars).toHaveLength(3);
    // The oldest band at the top: 25–29's one bar (men's 20) comes first, then 16–24's two.
    const [older, women, men] = bars;
    expect(num(women?.x) + num(women?.width)).toBeLessThan(num(men?.x));
    expect(num(women?.width)).toBeCloseTo(2 * num(men?.width), 1);
    expect(num(older?.x)).toBe(num(men?.x));
    expect(num(older?.y)).toBeLessThan(num(men?.y));
    expect(omitted).toBe(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Kvinnor', 'Män', '16–24', '25–29', '10', '5', '20']));
  });

  it('draws boxes from the 25th to the 75th percentile with the median, and skips a suppressed step', () => {
    const { svg, omitted } = boxes({
      id: 'lead',
      summary: 'Ledtider',
      rows: [
        { key: 'routed', label: 'Fördelad' },
        { key: 'accepted', label: 'Accepterad' },
      ],
      boxes: [{ p25: 2, median: 5, p75: 10 }, null],
      format,
      describe: (box) => `median ${box.median} dagar (${box.p25}–${box.p75})`,
    });

    const [box] = withClass(svg, 'rect', 'chart__box');
    const [median] = withClass(svg, 'line', 'chart__median');
    expect(withClass(svg, 'rect', 'chart__box')).toHaveLength(1);
    const left = num(box?.x);
    const right = left + num(box?.width);
    expect(num(median?.x1)).toBeGreaterThan(left);
    expect(num(median?.x1)).toBeLessThan(right);
    expect((num(median?.x1) - left) / (right - left)).toBeCloseTo(3 / 8, 2);
    expect(texts(svg)).toContain('median 5 dagar (2–10)');
    expect(omitted).toBe(1);
  });

  it('stacks shares to 100 % of each row, writing a share where it fits', () => {
    const { svg, omitted } = stackedShares({
      id: 'outcomes',
      summary: 'Utfall',
      rows: [
        { key: 'TG1', label: 'TG1' },
        { key: 'TG2', label: 'TG2' },
      ],
      segments: [
        { key: 'employment', label: 'arbete' },
        { key: 'studies', label: 'studier' },
        { key: 'moved', label: 'flyttat' },
      ],
      values: [
        [30, 10, null],
        [0, 0, 0],
      ],
      format: percent,
    });

    const segments = withClass(svg, 'rect', 'chart__segment');
    expect(segments).toHaveLength(2);
    const [work, studies] = segments.map((segment) => num(segment.width));
    expect((work ?? 0) / ((work ?? 0) + (studies ?? 0))).toBeCloseTo(0.75, 5);
    expect(texts(svg)).toEqual(expect.arrayContaining(['75 %', '25 %', 'arbete', 'studier', 'flyttat']));
    expect(omitted).toBe(1);
  });

  it('draws bullets: a bar for the value and a labelled tick for each target', () => {
    const { svg, omitted } = bullets({
      id: 'tg5',
      summary: 'Arbete eller studier',
      rows: [
        {
          label: 'TG5',
          value: 25,
          targets: [
            { value: 10, label: '10 %' },
            { value: 30, label: '30 %' },
            { value: 50, label: '50 %' },
          ],
        },
        { label: 'Tackade nej', value: null, targets: [] },
      ],
      format: percent,
      max: 100,
    });

    const [bar] = withClass(svg, 'rect', 'chart__bar');
    const ticks = withClass(svg, 'line', 'chart__target').map((tick) => num(tick.x1));
    expect(withClass(svg, 'rect', 'chart__bar')).toHaveLength(1);
    expect(ticks).toHaveLength(3);
    expect(num(bar?.width)).toBeCloseTo((ticks[1] ?? 0) * (25 / 30), 1);
    expect(ticks[2]).toBeCloseTo(5 * (ticks[0] ?? 0), 1);
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['TG5', '25 %', '10 %', '30 %', '50 %', 'Tackade nej']),
    );
    expect(omitted).toBe(1);
  });

  it('draws dumbbells with a shape per group and the values beside the points', () => {
    const { svg, omitted } = dumbbells({
      id: 'equity',
      summary: 'Jämställdhet',
      rows: [
        { key: 'eligible-share', label: 'Uppfyller kraven' },
        { key: 'declined-share', label: 'Tackade nej' },
      ],
      points: [sexes[0]!, sexes[1]!],
      values: [
        [40, 60],
        [null, 12],
      ],
      format: percent,
      max: 100,
    });

    const circles = elements(svg, 'circle');
    const squares = elements(svg, 'rect').filter((rect) => rect.fill === PALETTE[1]);
    // A circle and a square in the legend, then women's one circle and men's two squares.
    expect(circles).toHaveLength(2);
    expect(squares).toHaveLength(3);
    expect(elements(svg, 'line').filter((line) => line['stroke-width'] === '3')).toHaveLength(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['40 %', '60 %', '12 %', 'Kvinnor', 'Män']));
    expect(omitted).toBe(1);
  });
});
