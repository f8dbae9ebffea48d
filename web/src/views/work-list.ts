import { button, notice, tag } from '../components.js';
import { csvDateTime, toCsv } from '../csv.js';
import { h, replaceChildren } from '../dom.js';
import { formatAge, formatDateTime, t, tOptional } from '../i18n.js';
import { frontDeskReasonText, personName, targetGroupName, teamName } from '../names.js';
import { pagedList } from '../paged-list.js';
import type { View, ViewContext } from '../view.js';
import { priorityTag, statusTag } from './screening.js';

export type WorkItem = {
  caseId: string;
  reference?: string;
  team: string;
  status: string;
  priority: string;
  targetGroups: string[];
  jointAssessment: boolean;
  routedAt: string;
  /** When the person started waiting (a decline does not reset it); older APIs leave it out. */
  waitingSince?: string;
  updatedAt: string;
  closedAt?: string;
  /** On the front desk's list: why the case is there. */
  frontDeskReason?: string;
  assignee?: { id: string; name: string };
  /** Past its service level (`dueAt`) and not accepted yet. */
  overdue?: boolean;
  /** A TG4 case's next follow-up (6 or 12 months after its intervention started). */
  followUp?: { milestone: '6m' | '12m'; dueOn: string; due: boolean };
  person?: { givenName?: string; familyName?: string };
};

/** The team statuses a work list can be filtered on; '' is the open work (new and in progress). */
export const WORK_LIST_STATUSES = ['', 'ROUTED', 'IN_PROGRESS', 'CLOSED', 'DECLINED'] as const;
/** The screening's target groups (the default ruleset's codes), for the filter. */
export const TARGET_GROUPS = ['TG1', 'TG2', 'TG3', 'TG4', 'TG5'] as const;
export const SORTS = ['priority', 'waiting', 'reference'] as const;
const FRONT_DESK = 'front-desk';

/** Hands the text (or the file's bytes) to the browser as a file download. */
export function download(filename: string, text: string | Blob, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const pick = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  (values as readonly string[]).includes(value ?? '') ? (value as T) : fallback;

/**
 * A team's work list (GET /cases?team=&status=&targetGroup=&assignee=&sort=): highest priority and
 * oldest first unless sorted otherwise; "my cases" with assignee=me; the front desk's list says why
 * each case is there. The loaded rows can be saved as a CSV file (no identity numbers).
 */
export function workListView(context: ViewContext): View {
  const session = context.session;
  // The front desk and administrators oversee every team's list; others see their own teams'.
  const overseer = session?.admin || session?.teams.includes(FRONT_DESK);
  const teams = overseer ? context.config.teams : (session?.teams ?? []);
  const requestedTeam = context.query.get('team') ?? '';
  const team = teams.includes(requestedTeam) ? requestedTeam : (teams[0] ?? '');
  const status = pick(WORK_LIST_STATUSES, context.query.get('status'), '');
  const targetGroup = pick(['', ...TARGET_GROUPS], context.query.get('targetGroup'), '');
  const assignee = context.query.get('assignee') === 'me' ? 'me' : '';
  const sort = pick(SORTS, context.query.get('sort'), 'priority');
  /** Filters the API refused (an older API): they then apply to the loaded rows only. */
  const unsupported = new Set<string>();
  let body: HTMLElement | undefined;

  const list = pagedList<WorkItem>(
    (cursor) => {
      const query = new URLSearchParams({ team, limit: '25' });
      if (status && !unsupported.has('status')) query.set('status', status);
      if (targetGroup && !unsupported.has('targetGroup')) query.set('targetGroup', targetGroup);
      if (assignee) query.set('assignee', assignee);
      if (sort !== 'priority' && !unsupported.has('sort')) query.set('sort', sort);
      if (cursor) query.set('cursor', cursor);
      return `/cases?${query}`;
    },
    {
      draw: () => draw(),
      rows: () => body,
      retry: (outcome) => {
        if (outcome.kind !== 'problem' || outcome.status !== 400) return false;
        const refused = (outcome.problem.errors ?? [])
          .map((error) => error.path.split('.')[0] ?? '')
          .filter((path) => ['status', 'targetGroup', 'sort'].includes(path) && !unsupported.has(path));
        for (const path of refused) unsupported.add(path);
        return refused.length > 0;
      },
    },
  );

  const waitingSince = (item: WorkItem) => item.waitingSince ?? item.routedAt;

  /** The loaded rows, filtered and sorted here only where the API could not. */
  function rows(): WorkItem[] {
    let items = [...list.items];
    if (unsupported.has('status') && status) items = items.filter((item) => item.status === status);
    if (unsupported.has('targetGroup') && targetGroup)
      items = items.filter((item) => item.targetGroups.includes(targetGroup));
    if (unsupported.has('sort') && sort !== 'priority') {
      const key = (item: WorkItem) => (sort === 'waiting' ? waitingSince(item) : (item.reference ?? ''));
      items.sort((a, b) => key(a).localeCompare(key(b)));
    }
    return items;
  }

  const showReason = team === FRONT_DESK;
  const nameOf = (item: WorkItem) => personName(item.person) || t('workList.unnamed');
  const reasonOf = (item: WorkItem) =>
    item.frontDeskReason ? frontDeskReasonText(item.frontDeskReason) : '';

  function exportCsv() {
    const header = [
      t('workList.columns.reference'),
      t('workList.columns.person'),
      t('workList.team'),
      t('workList.columns.status'),
      t('workList.columns.priority'),
      t('workList.columns.targetGroups'),
      t('workList.columns.waitingSince'),
      t('workList.columns.assignee'),
      ...(showReason ? [t('workList.columns.reason')] : []),
    ];
    const lines = rows().map((item) => [
      item.reference ?? '',
      nameOf(item),
      teamName(item.team),
      tOptional(`status.${item.status}.label`) ?? item.status,
      tOptional(`priority.${item.priority}`) ?? item.priority,
      item.targetGroups.join(', '),
      csvDateTime(waitingSince(item)),
      item.assignee?.name ?? '',
      ...(showReason ? [reasonOf(item)] : []),
    ]);
    download(`${t('workList.fileName', { team })}.csv`, toCsv([header, ...lines]));
  }

  function table(items: WorkItem[]) {
    return h(
      'div',
      { class: 'table-wrapper' },
      h(
        'table',
        { class: 'table table--work-list' },
        h('caption', { class: 'table__caption' }, t('workList.caption', { team: teamName(team) })),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('workList.columns.person')),
            h('th', { scope: 'col' }, t('workList.columns.reference')),
            h('th', { scope: 'col' }, t('workList.columns.priority')),
            h('th', { scope: 'col' }, t('workList.columns.waitingSince')),
            h('th', { scope: 'col' }, t('workList.columns.targetGroups')),
            h('th', { scope: 'col' }, t('workList.columns.status')),
            h('th', { scope: 'col' }, t('workList.columns.assignee')),
            showReason ? h('th', { scope: 'col' }, t('workList.columns.reason')) : null,
          ),
        ),
        h(
          'tbody',
          null,
          items.map((item) =>
            h(
              'tr',
              null,
              h('td', null, h('a', { href: `/app/cases/${encodeURIComponent(item.caseId)}` }, nameOf(item))),
              h('td', null, h('span', { class: 'reference' }, item.reference ?? '')),
              h('td', null, priorityTag(item.priority)),
              h(
                'td',
                null,
                h('time', { datetime: waitingSince(item) }, formatDateTime(waitingSince(item))),
                h('span', { class: 'hint-inline' }, ` (${formatAge(waitingSince(item))})`),
              ),
              h(
                'td',
                null,
                item.targetGroups.length === 0
                  ? t('screening.noTargetGroup')
                  : h(
                      'ul',
                      { class: 'list list--compact' },
                      item.targetGroups.map((code) =>
                        h(
                          'li',
                          null,
                          h('abbr', { title: targetGroupName(code) }, code),
                          ' ',
                          h('span', { class: 'hint-inline' }, targetGroupName(code)),
                        ),
                      ),
                    ),
              ),
              h(
                'td',
                null,
                statusTag(item.status),
                // Past the team's service level and not accepted: the front desk has been told.
                item.overdue ? [' ', tag(t('workList.overdue'), 'red')] : null,
                // A TG4 case whose 6- or 12-month follow-up has come: record it on the case page.
                item.followUp?.due
                  ? [
                      ' ',
                      tag(
                        t('workList.followUpDue', {
                          milestone: t(`workList.milestone.${item.followUp.milestone}`),
                        }),
                        'yellow',
                      ),
                    ]
                  : null,
              ),
              h('td', null, item.assignee?.name ?? t('workList.noAssignee')),
              showReason ? h('td', null, reasonOf(item)) : null,
            ),
          ),
        ),
      ),
    );
  }

  function draw() {
    if (!body) return;
    const parts = list.state({
      outageTitle: 'workList.outageTitle',
      outage: 'workList.outage',
      failedTitle: 'workList.failedTitle',
      failed: 'workList.failed',
      empty: assignee ? 'workList.emptyMine' : 'workList.empty',
    });
    const shown = rows();
    if (unsupported.size > 0) {
      parts.push(notice('info', t('workList.partialFilterTitle'), h('p', null, t('workList.partialFilter'))));
    }
    if (list.items.length > 0 && shown.length === 0)
      parts.push(h('p', { class: 'body' }, t('workList.empty')));
    if (shown.length > 0) {
      parts.push(
        table(shown),
        h(
          'div',
          { class: 'button-group no-print' },
          button(t('workList.export'), {
            type: 'button',
            secondary: true,
            id: 'export-csv',
            onClick: exportCsv,
          }),
        ),
        h('p', { class: 'hint' }, t('workList.exportHint')),
      );
    }
    const more = list.more(t('workList.more'));
    if (more) parts.push(more);
    replaceChildren(body, parts);
  }

  const hrefWith = (changes: Record<string, string>) => {
    const query = new URLSearchParams({ team });
    const current: Record<string, string> = { status, targetGroup, assignee, sort, ...changes };
    for (const [key, value] of Object.entries(current)) {
      if (value && !(key === 'sort' && value === 'priority')) query.set(key, value);
    }
    return `/app/cases?${query}`;
  };

  function select(id: string, name: string, options: { value: string; text: string }[], value: string) {
    return h(
      'select',
      { class: 'select', id, name },
      options.map((option) =>
        h('option', { value: option.value, selected: option.value === value }, option.text),
      ),
    );
  }

  function filters(): HTMLElement {
    const teamSelect = select(
      'filter-team',
      'team',
      teams.map((id) => ({ value: id, text: teamName(id) })),
      team,
    );
    const statusSelect = select(
      'filter-status',
      'status',
      WORK_LIST_STATUSES.map((value) => ({
        value,
        text: value ? t(`status.${value}.label`) : t('workList.open'),
      })),
      status,
    );
    const groupSelect = select(
      'filter-target-group',
      'targetGroup',
      [
        { value: '', text: t('workList.allTargetGroups') },
        ...TARGET_GROUPS.map((code) => ({ value: code, text: `${code} – ${targetGroupName(code)}` })),
      ],
      targetGroup,
    );
    const assigneeSelect = select(
      'filter-assignee',
      'assignee',
      [
        { value: '', text: t('workList.everyone') },
        { value: 'me', text: t('workList.mine') },
      ],
      assignee,
    );
    const sortSelect = select(
      'filter-sort',
      'sort',
      SORTS.map((value) => ({ value, text: t(`workList.sorts.${value}`) })),
      sort,
    );
    const group = (id: string, label: string, control: HTMLElement) =>
      h('div', { class: 'form-group' }, h('label', { class: 'label', for: id }, label), control);
    const form = h(
      'form',
      { class: 'filters no-print', role: 'search', 'aria-label': t('workList.filters') },
      teams.length > 1 ? group('filter-team', t('workList.team'), teamSelect) : null,
      group('filter-status', t('workList.status'), statusSelect),
      group('filter-target-group', t('workList.targetGroup'), groupSelect),
      group('filter-assignee', t('workList.assignee'), assigneeSelect),
      group('filter-sort', t('workList.sort'), sortSelect),
      h('div', { class: 'form-group' }, button(t('workList.show'), { secondary: true })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const query = new URLSearchParams({ team: teamSelect.value || team });
      if (statusSelect.value) query.set('status', statusSelect.value);
      if (groupSelect.value) query.set('targetGroup', groupSelect.value);
      if (assigneeSelect.value) query.set('assignee', assigneeSelect.value);
      if (sortSelect.value && sortSelect.value !== 'priority') query.set('sort', sortSelect.value);
      context.navigate(`/app/cases?${query}`);
    });
    return form;
  }

  const lead = () => {
    const sortText = t(`workList.sorted.${sort}`);
    return assignee
      ? t('workList.leadMine', { team: teamName(team), sort: sortText })
      : t('workList.leadSorted', { team: teamName(team), sort: sortText });
  };

  if (team) void list.load();
  return {
    title: () => (assignee ? t('workList.titleMine') : t('workList.title')),
    render() {
      body = h('div');
      draw();
      return h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, assignee ? t('workList.titleMine') : t('workList.title')),
        h('p', { class: 'lead' }, lead()),
        h(
          'ul',
          { class: 'link-list link-list--inline no-print' },
          h(
            'li',
            null,
            h(
              'a',
              { href: hrefWith({ assignee: '' }), 'aria-current': assignee ? undefined : 'page' },
              t('workList.allCases'),
            ),
          ),
          h(
            'li',
            null,
            h(
              'a',
              {
                href: hrefWith({ assignee: 'me' }),
                'aria-current': assignee ? 'page' : undefined,
                id: 'my-cases',
              },
              t('workList.mine'),
            ),
          ),
        ),
        filters(),
        body,
      );
    },
  };
}
