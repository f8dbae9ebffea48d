import { type ApiOutcome, api, apiFile, isOutage } from '../api.js';
import {
  boxes,
  bullets,
  type ChartResult,
  dumbbells,
  groupedBars,
  type Label,
  lines,
  pyramid,
  stackedShares,
  type Value,
} from '../charts.js';
import { notice, radiosField } from '../components.js';
import { toCsv } from '../csv.js';
import { type Child, h, replaceChildren } from '../dom.js';
import {
  currentLang,
  formatDateTime,
  formatMonth,
  formatMonths,
  formatNumber,
  type MessageKey,
  t,
  tOptional,
} from '../i18n.js';
import { outcomeName, targetGroupName, teamName } from '../names.js';
import type { Session } from '../session.js';
import {
  AGE_BANDS,
  chartValue,
  csvPathOf,
  EQUITY_MEASURES,
  type EquityAnswer,
  type EquityRow,
  fileNameOf,
  findCell,
  GENDERS,
  type IndicatorInfo,
  keysOf,
  LEAD_TIME_STEPS,
  monthsBetween,
  OUTCOMES,
  PERIODS,
  type PeriodKind,
  periodMonths,
  type StatsAnswer,
  type StatsCell,
  type StatsUnit,
  statsQuery,
  TARGET_GROUP_ORDER,
} from '../stats.js';
import type { View, ViewContext } from '../view.js';
import { messageView } from './message.js';
import { download } from './work-list.js';

/** The teams whose figures a user sees: none (everything) for the steering group, admins and the front desk. */
export function ownTeams(session: Session | undefined): string[] {
  if (!session || session.admin || session.steeringGroup || session.teams.includes('front-desk')) return [];
  return session.teams;
}

/** The targets when the indicator catalogue names none (CONTRACT.md v1.1, the project's targets). */
const DEFAULT_TARGETS: Record<string, number[]> = {
  'self-sufficient-6m': [5],
  'self-sufficient-12m': [15],
  'work-or-studies-share': [10, 30, 50],
};
const DEFAULT_THRESHOLD = 5;

type Answer<T> = { kind: 'ok'; data: T } | { kind: 'failed'; status: number; outage: boolean };
const NOT_ANSWERED: Answer<never> = { kind: 'failed', status: 0, outage: false };

type Query = { key: string; name: () => string; path: string };

type Download = { label: string; path: string; name: string; table: () => string[][] };

/** One table: a caption, the column headings, and rows that each start with their heading. */
type TableSpec = {
  caption: string;
  columns: string[];
  rows: { head: Child; headText: string; cells: string[] }[];
};

/**
 * Uppföljning (issue #9): the steering group's follow-up of the whole project, per period. Each
 * figure is a chart (charts.ts) and a table of the same figures beneath it, the table being the
 * accessible equivalent; each table can be saved as the API's CSV file for Swedish Excel. A team
 * sees its own team's figures (the API keeps to that), and the page says so.
 */
export function followUpView(context: ViewContext): View {
  const requested = context.query.get('period') ?? '';
  const period: PeriodKind = (PERIODS as readonly string[]).includes(requested)
    ? (requested as PeriodKind)
    : 'year';
  const { from, to } = periodMonths(period);
  const teams = ownTeams(context.session);
  /** A user of one team asks for that team's figures; the API would narrow to them anyway. */
  const teamFilter = teams.length === 1 ? teams[0] : undefined;

  let loaded = false;
  let forbidden = false;
  let catalogue = new Map<string, IndicatorInfo>();
  const answers = new Map<string, Answer<StatsAnswer>>();
  let equity: Answer<EquityAnswer> | undefined;
  let body: HTMLElement | undefined;
  let chosen: PeriodKind = period;
  let figureCount = 0;
  let tableCount = 0;

  const info = (indicator: string) => catalogue.get(indicator);

  function statsPath(
    indicator: string,
    params: { interval?: string; groupBy?: string; step?: string; targetGroup?: string } = {},
  ): string {
    const dimensions = info(indicator)?.dimensions;
    const filterable = (dimension: string) => !dimensions || dimensions.includes(dimension);
    return `/stats?${statsQuery({
      indicator,
      from,
      to,
      interval: params.interval ?? 'total',
      groupBy: params.groupBy,
      targetGroup: params.targetGroup && filterable('targetGroup') ? params.targetGroup : undefined,
      team: teamFilter && filterable('team') ? teamFilter : undefined,
      step: params.step,
    })}`;
  }

  function queries(): Query[] {
    return [
      {
        key: 'new',
        name: () => t('followUp.figures.new'),
        path: statsPath('participants-new', { groupBy: 'targetGroup,gender' }),
      },
      {
        key: 'active',
        name: () => t('followUp.figures.active'),
        path: statsPath('participants-active', { groupBy: 'targetGroup,gender' }),
      },
      {
        key: 'monthly',
        name: () => t('followUp.figures.monthly'),
        path: statsPath('participants-new', { interval: 'month', groupBy: 'targetGroup' }),
      },
      {
        key: 'ages',
        name: () => t('followUp.figures.ages'),
        path: statsPath('participants-new', { groupBy: 'ageBand,gender' }),
      },
      ...LEAD_TIME_STEPS.map((step) => ({
        key: `lead-${step}`,
        name: () => stepName(step),
        path: statsPath('lead-time', { step }),
      })),
      {
        key: 'outcomes',
        name: () => t('followUp.figures.outcomes'),
        path: statsPath('outcomes', { groupBy: 'targetGroup,outcome' }),
      },
      {
        key: 'ss6',
        name: () => t('followUp.rows.selfSufficient6m'),
        path: statsPath('self-sufficient-6m', { targetGroup: 'TG4' }),
      },
      {
        key: 'ss12',
        name: () => t('followUp.rows.selfSufficient12m'),
        path: statsPath('self-sufficient-12m', { targetGroup: 'TG4' }),
      },
      {
        key: 'tg5',
        name: () => t('followUp.figures.workOrStudies'),
        path: statsPath('work-or-studies-share', { targetGroup: 'TG5' }),
      },
      {
        key: 'declined',
        name: () => t('followUp.figures.declined'),
        path: statsPath('declined-share'),
      },
    ];
  }
  const equityPath = `/stats/equity?${statsQuery({ from, to })}`;

  const answerOf = <T>(outcome: ApiOutcome<T>): Answer<T> =>
    outcome.kind === 'ok'
      ? { kind: 'ok', data: outcome.data }
      : {
          kind: 'failed',
          status: outcome.kind === 'problem' ? outcome.status : 0,
          outage: isOutage(outcome),
        };

  async function load() {
    const indicators = await api<{ indicators: IndicatorInfo[] }>('/stats/indicators');
    if (indicators.kind === 'ok' && Array.isArray(indicators.data?.indicators)) {
      catalogue = new Map(indicators.data.indicators.map((indicator) => [indicator.id, indicator]));
    }
    const all = queries();
    const [outcomes, equityOutcome] = await Promise.all([
      Promise.all(all.map((query) => api<StatsAnswer>(query.path))),
      api<EquityAnswer>(equityPath),
    ]);
    all.forEach((query, index) => {
      answers.set(query.key, answerOf(outcomes[index] as ApiOutcome<StatsAnswer>));
    });
    equity = answerOf(equityOutcome);
    const statuses = [indicators, ...outcomes, equityOutcome].map((outcome) =>
      outcome.kind === 'problem' ? outcome.status : 0,
    );
    // Not for this role (an agency): the API refuses every question.
    forbidden = statuses.every((status) => status === 403);
    loaded = true;
    if (forbidden) context.rerender();
    else draw();
    context.updateTitle();
  }

  // --- Words and numbers ------------------------------------------------------------------------

  const lang = () => currentLang();
  const periodText = () => formatMonths(from, to);
  const stepName = (step: string) => tOptional(`followUp.steps.${step}`) ?? step;
  const genderName = (gender: string) => tOptional(`followUp.genders.${gender}`) ?? gender;
  const ageBandName = (band: string) => tOptional(`followUp.ageBands.${band}`) ?? band;
  const measureName = (measure: string) => tOptional(`followUp.measures.${measure}`) ?? measure;

  function formatUnit(value: number, unit: StatsUnit | 'points'): string {
    const number = formatNumber(value);
    if (unit === 'percent') return t('followUp.units.percent', { value: number });
    if (unit === 'days') return t('followUp.units.days', { value: number });
    if (unit === 'points') return t('followUp.units.points', { value: number });
    return number;
  }
  /** A number on a chart: a count as it is, a share with "%", days as a bare number (the axis says days). */
  const chartFormat = (unit: StatsUnit) => (value: number) =>
    unit === 'percent' ? t('followUp.units.percent', { value: formatNumber(value) }) : formatNumber(value);

  const thresholdOf = (answer: { suppression?: { threshold?: number } } | undefined) =>
    answer?.suppression?.threshold ?? DEFAULT_THRESHOLD;
  const under = (threshold: number) => `<${threshold}`;

  /** A table cell: the figure, "<5" when suppressed, 0 for a count with no cell, else "–". */
  function cellText(cell: StatsCell | undefined, unit: StatsUnit, threshold: number): string {
    if (!cell) return unit === 'count' ? formatNumber(0) : '–';
    if (cell.suppressed) return under(threshold);
    return typeof cell.value === 'number' ? formatUnit(cell.value, unit) : '–';
  }
  const extraText = (value: number | undefined, unit: StatsUnit) =>
    typeof value === 'number' ? formatUnit(value, unit) : '–';

  const summary = (kind: MessageKey, title: string, total?: string) =>
    total === undefined
      ? t('followUp.charts.summary', { kind: t(kind), title, period: periodText() })
      : t('followUp.charts.summaryTotal', { kind: t(kind), title, period: periodText(), total });

  const ok = (key: string): StatsAnswer | undefined => {
    const answer = answers.get(key);
    return answer?.kind === 'ok' ? answer.data : undefined;
  };
  /** A question's answer, or a failure when it was never asked (the figure then says so). */
  const answerFor = (key: string): Answer<StatsAnswer> => answers.get(key) ?? NOT_ANSWERED;

  const targetGroupLabel = (code: string): Label => ({ key: code, label: code });
  const targetGroupHead = (code: string): Child => {
    const name = targetGroupName(code);
    return name === code
      ? code
      : [h('abbr', { title: name }, code), ' ', h('span', { class: 'hint-inline' }, name)];
  };
  const targetGroupText = (code: string) => {
    const name = targetGroupName(code);
    return name === code ? code : `${code} – ${name}`;
  };

  // --- The parts of a figure -------------------------------------------------------------------

  function table(spec: TableSpec): HTMLElement {
    const captionId = `table-${++tableCount}`;
    // A wide table scrolls sideways on a narrow screen: the keyboard must reach it too.
    return h(
      'div',
      { class: 'table-wrapper', role: 'region', tabindex: '0', 'aria-labelledby': captionId },
      h(
        'table',
        { class: 'table table--figures' },
        h('caption', { class: 'table__caption', id: captionId }, spec.caption),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            spec.columns.map((column, index) =>
              h('th', { scope: 'col', class: index > 0 ? 'table__number' : undefined }, column),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          spec.rows.map((row) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, row.head),
              row.cells.map((cell) => h('td', { class: 'table__number' }, cell)),
            ),
          ),
        ),
      ),
    );
  }

  /** The table as CSV rows, for when the API cannot give the file itself. */
  const tableRows = (spec: () => TableSpec) => () => {
    const built = spec();
    return [built.columns, ...built.rows.map((row) => [row.headText, ...row.cells])];
  };

  function downloadButton(item: Download, named: boolean): HTMLElement {
    const status = h('span', { class: 'figure__status', role: 'status' });
    const label = named ? t('followUp.downloadNamed', { name: item.label }) : t('followUp.download');
    const control = h('button', { type: 'button', class: 'button button--secondary button--small' }, label);
    control.addEventListener('click', async () => {
      control.disabled = true;
      status.textContent = '';
      const fallbackName = `${t('followUp.fileName', { name: item.name, from, to })}.csv`;
      const file = await apiFile(csvPathOf(item.path));
      control.disabled = false;
      if (file.kind === 'ok' && /csv|text\/plain/i.test(file.type)) {
        download(fileNameOf(file.disposition) ?? fallbackName, file.blob, file.type);
      } else if (
        file.kind === 'ok' ||
        (file.kind === 'problem' && [400, 404, 406, 501].includes(file.status))
      ) {
        // An API without this CSV file: the table as shown, in the same format.
        download(fallbackName, toCsv(item.table()));
      } else {
        status.textContent = t('followUp.downloadFailed');
      }
    });
    return h('div', { class: 'figure__download no-print' }, control, status);
  }

  function omittedNote(chart: ChartResult | undefined, threshold: number): HTMLElement | null {
    if (!chart || chart.omitted === 0) return null;
    return h(
      'p',
      { class: 'hint figure__note' },
      chart.omitted === 1
        ? t('followUp.omittedOne', { threshold })
        : t('followUp.omitted', { count: chart.omitted, threshold }),
    );
  }

  function chartNode(chart: ChartResult | undefined): Node | null {
    if (!chart) return null;
    const template = document.createElement('template');
    template.innerHTML = chart.svg;
    return h('div', { class: 'figure__chart' }, template.content);
  }

  /**
   * A figure: its heading, the indicator's definition, the charts (or why there are none), the
   * note on what the charts leave out, the table, and its CSV files.
   */
  function figure(options: {
    title: string;
    indicator?: string;
    failed?: Answer<unknown>[];
    empty?: boolean;
    charts?: (ChartResult | undefined)[];
    threshold: number;
    tables: TableSpec[];
    downloads: Download[];
  }): HTMLElement {
    const id = `figure-${++figureCount}`;
    const definition = options.indicator ? info(options.indicator)?.definition?.[lang()] : undefined;
    const failure = options.failed?.find((answer) => answer.kind === 'failed');
    const content: Child[] = [];
    if (failure && failure.kind === 'failed' && failure.status === 403) {
      // E.g. a team that is not shown health-related target groups.
      content.push(h('p', { class: 'body' }, t('followUp.notForTeam')));
    } else if (failure && failure.kind === 'failed') {
      content.push(
        notice(
          'warning',
          t(failure.outage ? 'followUp.outageTitle' : 'followUp.failed'),
          failure.outage ? h('p', null, t('followUp.outage')) : null,
        ),
      );
    }
    if (!failure && options.empty) content.push(h('p', { class: 'body' }, t('followUp.noData')));
    if (!failure && !options.empty) {
      for (const chart of options.charts ?? [])
        content.push(chartNode(chart), omittedNote(chart, options.threshold));
      content.push(options.tables.map(table));
    }
    const downloads = failure ? [] : options.downloads;
    return h(
      'section',
      { class: 'figure', 'aria-labelledby': id },
      h('h3', { class: 'heading-s', id }, options.title),
      definition ? h('p', { class: 'hint' }, definition) : null,
      content,
      downloads.length > 0
        ? h(
            'div',
            { class: 'figure__downloads' },
            downloads.map((item) => downloadButton(item, downloads.length > 1)),
          )
        : null,
    );
  }

  // --- The figures ------------------------------------------------------------------------------

  /** Target group × gender: grouped bars and a table (new or active participants). */
  function byTargetGroupAndGender(key: 'new' | 'active', indicator: string): HTMLElement {
    const answer = ok(key);
    const title = t(key === 'new' ? 'followUp.figures.new' : 'followUp.figures.active');
    const unit = answer?.unit ?? 'count';
    const threshold = thresholdOf(answer);
    const cells = answer?.cells ?? [];
    const groups = keysOf(cells, 'targetGroup', TARGET_GROUP_ORDER);
    const genders = [...GENDERS];
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [t('followUp.columns.targetGroup'), ...genders.map(genderName)],
      rows: groups.map((group) => ({
        head: targetGroupHead(group),
        headText: targetGroupText(group),
        cells: genders.map((gender) =>
          cellText(findCell(cells, { targetGroup: group, gender }), unit, threshold),
        ),
      })),
    });
    const total = answer?.totals?.[0];
    const chart =
      groups.length > 0
        ? groupedBars({
            id: `chart-${key}`,
            summary: summary(
              'followUp.charts.bars',
              title,
              total && !total.suppressed && typeof total.value === 'number'
                ? formatNumber(total.value)
                : undefined,
            ),
            categories: groups.map(targetGroupLabel),
            series: genders.map((gender) => ({ key: gender, label: genderName(gender) })),
            values: groups.map((group) =>
              genders.map((gender) => chartValue(findCell(cells, { targetGroup: group, gender }), unit)),
            ),
            format: chartFormat(unit),
            integer: unit === 'count',
          })
        : undefined;
    return figure({
      title,
      indicator,
      failed: [answerFor(key)],
      empty: groups.length === 0,
      charts: [chart],
      threshold,
      tables: [spec()],
      downloads: [{ label: title, path: statsPathOf(key), name: key, table: tableRows(spec) }],
    });
  }

  const statsPathOf = (key: string) => queries().find((query) => query.key === key)?.path ?? '';

  function monthly(): HTMLElement {
    const answer = ok('monthly');
    const title = t('followUp.figures.monthly');
    const unit = answer?.unit ?? 'count';
    const threshold = thresholdOf(answer);
    const cells = answer?.cells ?? [];
    const groups = keysOf(cells, 'targetGroup', TARGET_GROUP_ORDER);
    const months = monthsBetween(from, to);
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [t('followUp.columns.month'), ...groups],
      rows: months.map((month) => ({
        head: formatMonth(month),
        headText: month,
        cells: groups.map((group) =>
          cellText(findCell(cells, { targetGroup: group }, month), unit, threshold),
        ),
      })),
    });
    const chart =
      groups.length > 0
        ? lines({
            id: 'chart-monthly',
            summary: summary('followUp.charts.lines', title),
            periods: months.map((month) => ({ key: month, label: formatMonth(month, 'short') })),
            series: groups.map(targetGroupLabel),
            values: groups.map((group) =>
              months.map((month) => chartValue(findCell(cells, { targetGroup: group }, month), unit)),
            ),
            format: chartFormat(unit),
            integer: unit === 'count',
          })
        : undefined;
    return figure({
      title,
      indicator: 'participants-new',
      failed: [answerFor('monthly')],
      empty: groups.length === 0,
      charts: [chart],
      threshold,
      tables: [spec()],
      downloads: [{ label: title, path: statsPathOf('monthly'), name: 'monthly', table: tableRows(spec) }],
    });
  }

  function ages(): HTMLElement {
    const answer = ok('ages');
    const title = t('followUp.figures.ages');
    const unit = answer?.unit ?? 'count';
    const threshold = thresholdOf(answer);
    const cells = answer?.cells ?? [];
    const bands = keysOf(cells, 'ageBand', AGE_BANDS);
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [t('followUp.columns.ageBand'), ...GENDERS.map(genderName)],
      rows: bands.map((band) => ({
        head: ageBandName(band),
        headText: ageBandName(band),
        cells: GENDERS.map((gender) => cellText(findCell(cells, { ageBand: band, gender }), unit, threshold)),
      })),
    });
    const chart =
      bands.length > 0
        ? pyramid({
            id: 'chart-ages',
            summary: summary('followUp.charts.pyramid', title),
            rows: bands.map((band) => ({ key: band, label: ageBandName(band) })),
            sides: [
              { key: 'women', label: genderName('women') },
              { key: 'men', label: genderName('men') },
            ],
            values: bands.map((band) =>
              GENDERS.map((gender) => chartValue(findCell(cells, { ageBand: band, gender }), unit)),
            ),
            format: chartFormat(unit),
          })
        : undefined;
    return figure({
      title,
      indicator: 'participants-new',
      failed: [answerFor('ages')],
      empty: bands.length === 0,
      charts: [chart],
      threshold,
      tables: [spec()],
      downloads: [{ label: title, path: statsPathOf('ages'), name: 'ages', table: tableRows(spec) }],
    });
  }

  function leadTimes(): HTMLElement {
    const title = t('followUp.figures.leadTimes');
    const rows = LEAD_TIME_STEPS.map((step) => {
      const answer = ok(`lead-${step}`);
      // Without dimensions the period's one cell is its total; the spread may come with either.
      const [cell, total] = [answer?.cells?.[0], answer?.totals?.[0]];
      return { step, answer, cell: cell && total ? { ...total, ...cell } : (cell ?? total) };
    });
    const threshold = thresholdOf(rows.find((row) => row.answer)?.answer);
    const unit: StatsUnit = 'days';
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [
        t('followUp.columns.step'),
        t('followUp.columns.median'),
        t('followUp.columns.p25'),
        t('followUp.columns.p75'),
        t('followUp.columns.within30'),
        t('followUp.columns.within90'),
        t('followUp.columns.within180'),
        t('followUp.columns.n'),
      ],
      rows: rows.map(({ step, cell }) => {
        const hidden = !cell || cell.suppressed;
        const extra = (value: number | undefined, extraUnit: StatsUnit) =>
          cell?.suppressed ? under(threshold) : hidden ? '–' : extraText(value, extraUnit);
        return {
          head: stepName(step),
          headText: stepName(step),
          cells: [
            cell ? cellText(cell, unit, threshold) : '–',
            extra(cell?.p25, unit),
            extra(cell?.p75, unit),
            extra(cell?.within30, 'percent'),
            extra(cell?.within90, 'percent'),
            extra(cell?.within180, 'percent'),
            cell?.suppressed ? under(threshold) : typeof cell?.n === 'number' ? formatNumber(cell.n) : '–',
          ],
        };
      }),
    });
    const present = rows.some((row) => row.cell);
    const boxOf = (cell: StatsCell | undefined) => {
      if (!cell) return undefined;
      if (cell.suppressed) return null;
      return typeof cell.value === 'number' && typeof cell.p25 === 'number' && typeof cell.p75 === 'number'
        ? { p25: cell.p25, median: cell.value, p75: cell.p75 }
        : undefined;
    };
    const steps = rows.map(({ step }) => ({ key: step, label: stepName(step) }));
    const within = ['within30', 'within90', 'within180'] as const;
    const shareOf = (cell: StatsCell | undefined, key: (typeof within)[number]): Value =>
      !cell ? undefined : cell.suppressed ? null : cell[key];
    const charts = present
      ? [
          boxes({
            id: 'chart-lead-times',
            summary: summary('followUp.charts.boxes', title),
            rows: steps,
            boxes: rows.map(({ cell }) => boxOf(cell)),
            format: formatNumber,
            describe: (box) =>
              t('followUp.boxLabel', {
                median: formatUnit(box.median, 'days'),
                p25: formatNumber(box.p25),
                p75: formatNumber(box.p75),
              }),
          }),
          groupedBars({
            id: 'chart-lead-shares',
            summary: summary('followUp.charts.bars', t('followUp.figures.leadShares')),
            categories: steps,
            series: within.map((key) => ({ key, label: t(`followUp.columns.${key}`) })),
            values: rows.map(({ cell }) => within.map((key) => shareOf(cell, key))),
            format: chartFormat('percent'),
            max: 100,
          }),
        ]
      : [];
    return figure({
      title,
      indicator: 'lead-time',
      failed: LEAD_TIME_STEPS.map((step) => answerFor(`lead-${step}`)),
      empty: !present,
      charts,
      threshold,
      tables: [spec()],
      downloads: LEAD_TIME_STEPS.map((step) => ({
        label: stepName(step),
        path: statsPathOf(`lead-${step}`),
        name: `lead-time-${step}`,
        table: tableRows(spec),
      })),
    });
  }

  function outcomes(): HTMLElement {
    const answer = ok('outcomes');
    const title = t('followUp.figures.outcomes');
    const unit = answer?.unit ?? 'count';
    const threshold = thresholdOf(answer);
    const cells = answer?.cells ?? [];
    const groups = keysOf(cells, 'targetGroup', TARGET_GROUP_ORDER);
    const kinds = keysOf(cells, 'outcome', OUTCOMES);
    const values = groups.map((group) =>
      kinds.map((outcome) => chartValue(findCell(cells, { targetGroup: group, outcome }), unit)),
    );
    /** A row's shares of its shown figures (what the bars show), unless the API gave shares. */
    const shareText = (row: number, column: number) => {
      const rowValues = values[row] ?? [];
      const value = rowValues[column];
      if (typeof value !== 'number' || unit === 'percent') return undefined;
      const sum = rowValues.reduce<number>((total, item) => total + (typeof item === 'number' ? item : 0), 0);
      return sum > 0 ? formatUnit(Math.round((value / sum) * 100), 'percent') : undefined;
    };
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [t('followUp.columns.targetGroup'), ...kinds.map(outcomeName)],
      rows: groups.map((group, row) => ({
        head: targetGroupHead(group),
        headText: targetGroupText(group),
        cells: kinds.map((outcome, column) => {
          const count = cellText(findCell(cells, { targetGroup: group, outcome }), unit, threshold);
          const share = shareText(row, column);
          return share ? t('followUp.shareLabel', { count, share }) : count;
        }),
      })),
    });
    const chart =
      groups.length > 0
        ? stackedShares({
            id: 'chart-outcomes',
            summary: summary('followUp.charts.stacked', title),
            rows: groups.map(targetGroupLabel),
            segments: kinds.map((outcome) => ({ key: outcome, label: outcomeName(outcome) })),
            values,
            format: chartFormat('percent'),
          })
        : undefined;
    return figure({
      title,
      indicator: 'outcomes',
      failed: [answerFor('outcomes')],
      empty: groups.length === 0,
      charts: [chart],
      threshold,
      tables: [spec()],
      downloads: [{ label: title, path: statsPathOf('outcomes'), name: 'outcomes', table: tableRows(spec) }],
    });
  }

  /** The targets of an indicator for a target group: from the catalogue, else the project's. */
  function targetsOf(indicator: string, targetGroup?: string) {
    const listed = info(indicator)?.targets?.filter(
      (target) => !targetGroup || !target.targetGroup || target.targetGroup === targetGroup,
    );
    if (listed && listed.length > 0)
      return listed.map((target) => ({
        value: target.value,
        long: target.label?.[lang()] ?? t('followUp.target', { value: formatUnit(target.value, 'percent') }),
      }));
    return (DEFAULT_TARGETS[indicator] ?? []).map((value) => ({
      value,
      long: t('followUp.target', { value: formatUnit(value, 'percent') }),
    }));
  }

  /** Shares against their targets: bullet charts and a table (value, number, targets). */
  function bulletFigure(options: {
    title: string;
    indicator: string;
    rows: { key: string; label: string; indicator: string; targetGroup?: string }[];
    max?: number;
    name: string;
  }): HTMLElement {
    const rows = options.rows.map((row) => {
      const answer = ok(row.key);
      return {
        ...row,
        answer,
        cell: answer?.cells?.[0] ?? answer?.totals?.[0],
        targets: targetsOf(row.indicator, row.targetGroup),
      };
    });
    const threshold = thresholdOf(rows.find((row) => row.answer)?.answer);
    const spec = (): TableSpec => ({
      caption: `${options.title}, ${periodText()}`,
      columns: [
        t('followUp.columns.measure'),
        t('followUp.columns.value'),
        t('followUp.columns.n'),
        t('followUp.columns.target'),
      ],
      rows: rows.map((row) => ({
        head: row.label,
        headText: row.label,
        cells: [
          row.cell ? cellText(row.cell, row.answer?.unit ?? 'percent', threshold) : '–',
          row.cell?.suppressed
            ? under(threshold)
            : typeof row.cell?.n === 'number'
              ? formatNumber(row.cell.n)
              : '–',
          row.targets.map((target) => target.long).join(', ') || '–',
        ],
      })),
    });
    const present = rows.some((row) => row.cell);
    const chart = present
      ? bullets({
          id: `chart-${options.name}`,
          summary: summary('followUp.charts.bullets', options.title),
          rows: rows.map((row) => ({
            label: row.label,
            value: row.cell ? (row.cell.suppressed ? null : row.cell.value) : undefined,
            targets: row.targets.map((target) => ({
              value: target.value,
              label: formatUnit(target.value, 'percent'),
            })),
          })),
          format: chartFormat('percent'),
          ...(options.max ? { max: options.max } : {}),
        })
      : undefined;
    return figure({
      title: options.title,
      indicator: options.indicator,
      failed: rows.map((row) => answerFor(row.key)),
      empty: !present,
      charts: [chart],
      threshold,
      tables: [spec()],
      downloads: rows.map((row) => ({
        label: row.label,
        path: statsPathOf(row.key),
        name: row.indicator,
        table: tableRows(spec),
      })),
    });
  }

  function equityFigure(): HTMLElement {
    const title = t('followUp.figures.equity');
    const data = equity?.kind === 'ok' ? equity.data : undefined;
    const threshold = thresholdOf(data);
    const rows = (data?.rows ?? []).filter((row) => row.dimension === 'gender');
    const order = (row: EquityRow) => {
      const index = (EQUITY_MEASURES as readonly string[]).indexOf(row.measure);
      return index === -1 ? EQUITY_MEASURES.length : index;
    };
    const byRuleset = (a: EquityRow, b: EquityRow) =>
      (a.rulesetVersion ?? '').localeCompare(b.rulesetVersion ?? '') || order(a) - order(b);
    rows.sort(byRuleset);
    const ageRows = (data?.rows ?? []).filter((row) => row.dimension === 'ageBand').sort(byRuleset);
    // Figures from more than one ruleset version stand apart: a rule change is not a change of habit.
    const rulesets = new Set((data?.rows ?? []).map((row) => row.rulesetVersion ?? ''));
    const rowName = (row: EquityRow) =>
      rulesets.size > 1 && row.rulesetVersion
        ? `${measureName(row.measure)} (${row.rulesetVersion})`
        : measureName(row.measure);
    const groupOf = (row: EquityRow, group: string) => row.groups.find((entry) => entry.group === group);
    const groupText = (row: EquityRow, group: string) => {
      const entry = groupOf(row, group);
      if (!entry) return '–';
      if (entry.suppressed) return under(threshold);
      return typeof entry.value === 'number' ? formatUnit(entry.value, row.unit) : '–';
    };
    const gapText = (row: EquityRow) =>
      typeof row.gap === 'number' ? formatUnit(row.gap, row.unit === 'percent' ? 'points' : 'days') : '–';
    const spec = (): TableSpec => ({
      caption: `${title}, ${periodText()}`,
      columns: [
        t('followUp.columns.measure'),
        ...GENDERS.map(genderName),
        t('followUp.columns.gap'),
        t('followUp.columns.ratio'),
      ],
      rows: rows.map((row) => ({
        head: rowName(row),
        headText: rowName(row),
        cells: [
          ...GENDERS.map((gender) => groupText(row, gender)),
          gapText(row),
          typeof row.ratio === 'number' ? formatNumber(row.ratio) : '–',
        ],
      })),
    });
    const bands = [...AGE_BANDS.filter((band) => ageRows.some((row) => groupOf(row, band)))];
    const ageSpec = (): TableSpec => ({
      caption: `${t('followUp.figures.equityAges')}, ${periodText()}`,
      columns: [t('followUp.columns.measure'), ...bands.map(ageBandName), t('followUp.columns.gap')],
      rows: ageRows.map((row) => ({
        head: rowName(row),
        headText: rowName(row),
        cells: [...bands.map((band) => groupText(row, band)), gapText(row)],
      })),
    });
    const valuesOf = (row: EquityRow): Value[] =>
      GENDERS.map((gender) => {
        const entry = groupOf(row, gender);
        return !entry ? undefined : entry.suppressed ? null : entry.value;
      });
    const chartOf = (unit: 'percent' | 'days', id: string, chartTitle: string) => {
      const chosenRows = rows.filter((row) => row.unit === unit);
      if (chosenRows.length === 0) return undefined;
      return dumbbells({
        id,
        summary: summary('followUp.charts.dumbbells', chartTitle),
        rows: chosenRows.map((row) => ({ key: row.measure, label: rowName(row) })),
        points: [
          { key: 'women', label: genderName('women') },
          { key: 'men', label: genderName('men') },
        ],
        values: chosenRows.map(valuesOf),
        format: chartFormat(unit),
        ...(unit === 'percent' ? { max: 100 } : {}),
      });
    };
    const tables = [spec(), ...(ageRows.length > 0 && bands.length > 0 ? [ageSpec()] : [])];
    return figure({
      title,
      failed: [equity ?? NOT_ANSWERED],
      empty: rows.length === 0 && ageRows.length === 0,
      charts: [
        chartOf('percent', 'chart-equity', title),
        chartOf('days', 'chart-equity-days', t('followUp.figures.equityDays')),
      ],
      threshold,
      tables,
      downloads: [
        {
          label: title,
          path: equityPath,
          name: 'equity',
          table: () => tables.flatMap((built) => tableRows(() => built)()),
        },
      ],
    });
  }

  // --- The page ---------------------------------------------------------------------------------

  function sections(): Child[] {
    figureCount = 0;
    tableCount = 0;
    const section = (key: MessageKey, ...figures: HTMLElement[]) =>
      h('section', { class: 'follow-up__section' }, h('h2', { class: 'heading-m' }, t(key)), figures);
    return [
      section(
        'followUp.sections.participants',
        byTargetGroupAndGender('new', 'participants-new'),
        byTargetGroupAndGender('active', 'participants-active'),
        monthly(),
      ),
      section('followUp.sections.ages', ages()),
      section('followUp.sections.leadTimes', leadTimes()),
      section('followUp.sections.outcomes', outcomes()),
      section(
        'followUp.sections.targets',
        bulletFigure({
          title: t('followUp.figures.selfSufficient'),
          indicator: 'self-sufficient-6m',
          name: 'self-sufficient',
          rows: [
            {
              key: 'ss6',
              label: t('followUp.rows.selfSufficient6m'),
              indicator: 'self-sufficient-6m',
              targetGroup: 'TG4',
            },
            {
              key: 'ss12',
              label: t('followUp.rows.selfSufficient12m'),
              indicator: 'self-sufficient-12m',
              targetGroup: 'TG4',
            },
          ],
        }),
        bulletFigure({
          title: t('followUp.figures.workOrStudies'),
          indicator: 'work-or-studies-share',
          name: 'work-or-studies',
          rows: [
            {
              key: 'tg5',
              label: t('followUp.rows.workOrStudies'),
              indicator: 'work-or-studies-share',
              targetGroup: 'TG5',
            },
          ],
          max: 100,
        }),
        bulletFigure({
          title: t('followUp.figures.declined'),
          indicator: 'declined-share',
          name: 'declined',
          rows: [{ key: 'declined', label: t('followUp.rows.declined'), indicator: 'declined-share' }],
          max: 100,
        }),
      ),
      section('followUp.sections.equity', equityFigure()),
    ];
  }

  function dataAsOf(): string | undefined {
    for (const answer of answers.values())
      if (answer.kind === 'ok' && answer.data.dataAsOf) return answer.data.dataAsOf;
    return equity?.kind === 'ok' ? equity.data.dataAsOf : undefined;
  }

  function draw() {
    if (!body) return;
    if (!loaded) {
      replaceChildren(body, h('p', { class: 'body' }, t('app.loading')));
      return;
    }
    const all = [...answers.values(), ...(equity ? [equity] : [])];
    if (all.length > 0 && all.every((answer) => answer.kind === 'failed')) {
      const outage = all.some((answer) => answer.kind === 'failed' && answer.outage);
      replaceChildren(
        body,
        notice(
          'warning',
          t('followUp.outageTitle'),
          h('p', null, t(outage ? 'followUp.outage' : 'followUp.failed')),
        ),
      );
      return;
    }
    const asOf = dataAsOf();
    const threshold = thresholdOf(
      all.map((answer) => (answer.kind === 'ok' ? answer.data : undefined)).find(Boolean),
    );
    replaceChildren(
      body,
      h('p', { class: 'body' }, t('followUp.privacy', { threshold })),
      asOf ? h('p', { class: 'hint' }, t('followUp.dataAsOf', { time: formatDateTime(asOf) })) : null,
      sections(),
    );
  }

  function periodForm(): HTMLElement {
    const form = h(
      'form',
      { class: 'filters no-print', 'aria-label': t('followUp.period.legend') },
      radiosField({
        id: 'period',
        name: 'period',
        legend: t('followUp.period.legend'),
        inline: true,
        value: chosen,
        options: PERIODS.map((kind) => ({ value: kind, label: t(`followUp.period.${kind}`) })),
        onChange: (value) => {
          chosen = value as PeriodKind;
        },
      }),
      h(
        'div',
        { class: 'form-group' },
        h('button', { class: 'button button--secondary', type: 'submit' }, t('followUp.period.show')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      context.navigate(`/app/follow-up?${new URLSearchParams({ period: chosen })}`);
    });
    return form;
  }

  void load();
  const notAllowed = () => messageView(context, 'notAllowed');
  return {
    title: () => (forbidden ? notAllowed().title() : t('followUp.title')),
    render() {
      if (forbidden) return notAllowed().render();
      body = h('div', { class: 'follow-up' });
      draw();
      return h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, t('followUp.title')),
        h('p', { class: 'lead' }, t('followUp.lead', { period: periodText() })),
        teams.length > 0
          ? notice(
              'info',
              t('followUp.teamScopeTitle'),
              h('p', null, t('followUp.teamScope', { teams: teams.map(teamName).join(', ') })),
            )
          : null,
        periodForm(),
        body,
      );
    },
  };
}
