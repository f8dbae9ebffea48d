import { api } from '../api.js';
import { button, notice } from '../components.js';
import { append, h, replaceChildren } from '../dom.js';
import { currentLang, t } from '../i18n.js';
import { roleName } from '../names.js';
import { saveSession, startCognitoSignIn } from '../session.js';
import type { View, ViewContext } from '../view.js';

type DemoUser = { id: string; name: string; groups: string[] };

/**
 * Locally: pick a demo user (GET /local/users, POST /local/login). Deployed: one button to the
 * Cognito hosted UI (code + PKCE).
 */
export function signInView(context: ViewContext): View {
  const { config, query } = context;
  const next = query.get('next');
  let users: DemoUser[] | undefined;
  let failed = false;
  let body: HTMLElement | undefined;

  const goOn = () => {
    const target = next?.startsWith('/app/') ? next : '/app/';
    context.navigate(target, { replace: true });
  };

  async function signInAs(user: string) {
    const outcome = await api<{ token: string }>('/local/login', { method: 'POST', body: { user } });
    if (outcome.kind === 'ok' && saveSession(outcome.data.token)) return goOn();
    failed = true;
    draw();
    body?.querySelector<HTMLElement>('.notice')?.focus();
  }

  function userButtons(title: string, list: DemoUser[]) {
    if (list.length === 0) return null;
    return h(
      'section',
      { class: 'section', 'aria-labelledby': `users-${title}` },
      h(
        'h2',
        { class: 'heading-m', id: `users-${title}` },
        t(`signIn.groups.${title}` as 'signIn.groups.agencies'),
      ),
      h(
        'ul',
        { class: 'user-list' },
        list.map((user) =>
          h(
            'li',
            null,
            h(
              'button',
              {
                type: 'button',
                class: 'button button--secondary user-list__button',
                'data-user': user.id,
                onClick: () => void signInAs(user.id),
              },
              h('span', { class: 'user-list__role' }, roleName(user.groups)),
              h('span', { class: 'user-list__id' }, t('signIn.userId', { id: user.id })),
            ),
          ),
        ),
      ),
    );
  }

  function draw() {
    if (!body) return;
    if (config.auth.mode === 'cognito') {
      const auth = config.auth;
      replaceChildren(
        body,
        h('p', { class: 'body' }, t('signIn.cognitoLead')),
        button(t('signIn.cognitoButton'), {
          type: 'button',
          onClick: () => void startCognitoSignIn(auth, next ?? '/app/', currentLang()),
        }),
      );
      return;
    }
    if (failed) {
      const failure = notice('warning', t('signIn.failed'));
      failure.setAttribute('tabindex', '-1');
      replaceChildren(body, failure);
    } else replaceChildren(body);
    if (!users) {
      body.append(h('p', { class: 'body', role: 'status' }, t('app.loading')));
      return;
    }
    const agencies = users.filter((user) => user.groups.some((group) => group.startsWith('agency-')));
    const teams = users.filter((user) => user.groups.some((group) => group.startsWith('team-')));
    const others = users.filter((user) => !agencies.includes(user) && !teams.includes(user));
    append(body, [
      h('p', { class: 'lead' }, t('signIn.localLead')),
      userButtons('agencies', agencies),
      userButtons('teams', teams),
      userButtons('others', others),
    ]);
  }

  async function loadUsers() {
    // `{ users, clients }` since contract v1.1 added machine clients; a bare list before it.
    const outcome = await api<DemoUser[] | { users?: DemoUser[] }>('/local/users');
    const listed =
      outcome.kind === 'ok' ? (Array.isArray(outcome.data) ? outcome.data : outcome.data.users) : undefined;
    if (listed) users = listed;
    else failed = true;
    draw();
  }
  if (config.auth.mode === 'local') void loadUsers();

  return {
    title: () => t('signIn.title'),
    render() {
      body = h('div');
      draw();
      return h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, t('signIn.title')),
        query.get('signedOut') ? h('p', { class: 'body', role: 'status' }, t('signIn.signedOut')) : null,
        query.get('expired') ? notice('info', t('signIn.expired')) : null,
        body,
      );
    },
  };
}
