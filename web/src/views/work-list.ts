import type { View, ViewContext } from '../app.js';
import { button } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { formatAge, formatDateTime, t } from '../i18n.js';
import { targetGroupName, teamName } from '../names.js';
import { pagedList } from '../paged-list.js';
import { priorityTag, statusTag } from './screening.js';

type WorkItem = {
  caseId: string;
  team: string;
  status: string;
  priority: string;
  targetGroups: string[];
  jointAssessment: boolean;
  routedAt: string;
  updatedAt: string;
  closedAt?: string;
  person?: { givenName?: string; familyName?: string };
};

/** The team statuses a work list can be filtered on; '' is the open work (new and in progress). */
export const WORK_LIST_STATUSES = ['', 'ROUTED', 'IN_PROGRESS', 'CLOSED'] as const;

/** A team's work list (GET /cases?team=&status=): highest priority and oldest first, as the API sorts it. */
export function workListView(context: ViewContext): View {
  const session = context.session;
  // The front desk and administrators oversee every team's list; others see their own teams'.
  const overseer = session?.admin || session?.teams.includes('front-desk');
  const teams = overseer ? context.config.teams : (session?.teams ?? []);
  const requestedTeam = context.query.get('team') ?? '';
  const team = teams.includes(requestedTeam) ? requestedTeam : (teams[0] ?? '');
  const requestedStatus = context.query.get('status') ?? '';
  const status = (WORK_LIST_STATUSES as readonly string[]).includes(requestedStatus) ? requestedStatus : '';
  let body: HTMLElement | undefined;

  const list = pagedList<WorkItem>(
    (cursor) => {
      const query = new URLSearchParams({ team, limit: '25' });
      if (status) query.set('status', status);
      if (cursor) query.set('cursor', cursor);
      return `/cases?${query}`;
    },
    { draw: () => draw(), rows: () => body },
  );

  const personName = (item: WorkItem) =>
    [item.person?.givenName, item.person?.familyName].filter(Boolean).join(' ') || t('workList.unnamed');

  function draw() {
    if (!body) return;
    const parts = list.state({
      outageTitle: 'workList.outageTitle',
      outage: 'workList.outage',
      failedTitle: 'workList.failedTitle',
      failed: 'workList.failed',
      empty: 'workList.empty',
    });
    if (list.items.length > 0) {
      parts.push(
        h(
          'div',
          { class: 'table-wrapper' },
          h(
            'table',
            { class: 'table' },
            h('caption', { class: 'table__caption' }, t('workList.caption', { team: teamName(team) })),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, t('workList.columns.person')),
                h('th', { scope: 'col' }, t('workList.columns.priority')),
                h('th', { scope: 'col' }, t('workList.columns.age')),
                h('th', { scope: 'col' }, t('workList.columns.targetGroups')),
                h('th', { scope: 'col' }, t('workList.columns.status')),
              ),
            ),
            h(
              'tbody',
              null,
              list.items.map((item) =>
                h(
                  'tr',
                  null,
                  h(
                    'td',
                    null,
                    h('a', { href: `/app/cases/${encodeURIComponent(item.caseId)}` }, personName(item)),
                  ),
                  h('td', null, priorityTag(item.priority)),
                  h(
                    'td',
                    null,
                    h(
                      'time',
                      { datetime: item.routedAt, title: formatDateTime(item.routedAt) },
                      formatAge(item.routedAt),
                    ),
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
                  h('td', null, statusTag(item.status)),
                ),
              ),
            ),
          ),
        ),
      );
    }
    const more = list.more(t('workList.more'));
    if (more) parts.push(more);
    replaceChildren(body, parts);
  }

  function filters(): HTMLElement {
    const teamSelect = h(
      'select',
      { class: 'select', id: 'filter-team', name: 'team' },
      teams.map((id) => h('option', { value: id, selected: id === team }, teamName(id))),
    );
    const statusSelect = h(
      'select',
      { class: 'select', id: 'filter-status', name: 'status' },
      WORK_LIST_STATUSES.map((value) =>
        h(
          'option',
          { value, selected: value === status },
          t(value ? `status.${value}.label` : 'workList.open'),
        ),
      ),
    );
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': t('workList.filters') },
      teams.length > 1
        ? h(
            'div',
            { class: 'form-group' },
            h('label', { class: 'label', for: 'filter-team' }, t('workList.team')),
            teamSelect,
          )
        : null,
      h(
        'div',
        { class: 'form-group' },
        h('label', { class: 'label', for: 'filter-status' }, t('workList.status')),
        statusSelect,
      ),
      h('div', { class: 'form-group' }, button(t('workList.show'), { secondary: true })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const query = new URLSearchParams({ team: teamSelect.value || team });
      if (statusSelect.value) query.set('status', statusSelect.value);
      context.navigate(`/app/cases?${query}`);
    });
    return form;
  }

  if (team) void list.load();
  return {
    title: () => t('workList.title'),
    render() {
      body = h('div');
      draw();
      return h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, t('workList.title')),
        h('p', { class: 'lead' }, t('workList.lead', { team: teamName(team) })),
        filters(),
        body,
      );
    },
  };
}
