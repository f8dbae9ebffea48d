/**
 * The page shell and the router: one HTML page, history navigation under /app/, a title per page,
 * focus moved to the new page's heading, and the language switch re-rendering the page in place
 * (each page keeps its own state, so nothing typed is lost).
 */

import type { WebConfig } from './config.js';
import { h, replaceChildren } from './dom.js';
import { currentLang, type Lang, setLang, t, tIn } from './i18n.js';
import { clearSession, cognitoSignOutUrl, currentSession, type Session } from './session.js';
import type { View, ViewContext } from './view.js';
import { accessibilityView } from './views/accessibility.js';
import { authCallbackView } from './views/auth-callback.js';
import { casePageView } from './views/case-page.js';
import { followUpView } from './views/follow-up.js';
import { messageView } from './views/message.js';
import { forgetDraft, referralFormView } from './views/referral-form.js';
import { referralListView } from './views/referral-list.js';
import { referralStatusView } from './views/referral-status.js';
import { searchView } from './views/search.js';
import { signInView } from './views/sign-in.js';
import { workListView } from './views/work-list.js';

export type { View, ViewContext } from './view.js';

/**
 * `staff`: anyone signed in who refers or works cases (the header's search). `followUp`: the
 * steering group, administrators and the teams (a team sees its own figures), never an agency.
 */
type Access = 'public' | 'agency' | 'referrals' | 'team' | 'staff' | 'followUp';
type RouteDef = { pattern: RegExp; access: Access; view: (context: ViewContext) => View };

const homeOf = (session: Session | undefined) =>
  !session
    ? '/app/sign-in'
    : session.agency
      ? '/app/referrals/new'
      : session.teams.length > 0 || session.admin
        ? '/app/cases'
        : session.steeringGroup
          ? '/app/follow-up'
          : '/app/accessibility';

const ROUTES: RouteDef[] = [
  { pattern: /^\/app\/sign-in$/, access: 'public', view: signInView },
  { pattern: /^\/app\/auth\/callback$/, access: 'public', view: authCallbackView },
  { pattern: /^\/app\/referrals\/new$/, access: 'agency', view: referralFormView },
  { pattern: /^\/app\/referrals$/, access: 'referrals', view: referralListView },
  { pattern: /^\/app\/referrals\/([^/]+)$/, access: 'referrals', view: referralStatusView },
  { pattern: /^\/app\/cases$/, access: 'team', view: workListView },
  { pattern: /^\/app\/cases\/([^/]+)$/, access: 'team', view: casePageView },
  { pattern: /^\/app\/accessibility$/, access: 'public', view: accessibilityView },
  { pattern: /^\/app\/search$/, access: 'staff', view: searchView },
  { pattern: /^\/app\/follow-up$/, access: 'followUp', view: followUpView },
];

/** Whether a signed-in user refers or works cases, and so may search. */
const mayAct = (session: Session) =>
  session.agency !== undefined || session.teams.length > 0 || session.admin;

/** Whether a signed-in user may read the follow-up figures. */
const mayFollowUp = (session: Session) =>
  session.agency === undefined && (session.steeringGroup || session.admin || session.teams.length > 0);

function allowed(access: Access, session: Session | undefined): boolean {
  if (access === 'public') return true;
  if (!session) return false;
  if (access === 'agency') return session.agency !== undefined;
  if (access === 'referrals') return session.agency !== undefined || session.admin;
  if (access === 'staff') return mayAct(session);
  if (access === 'followUp') return mayFollowUp(session);
  return session.teams.length > 0 || session.admin;
}

export function startApp(root: HTMLElement, config: WebConfig): void {
  let view: View | undefined;
  let firstRender = true;
  /** The page shown: a change of the fragment alone (the skip link) is no new page. */
  let shown = '';

  const navigate = (path: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    route();
  };

  const updateTitle = () => {
    if (!view) return;
    const prefix = view.hasErrors?.() ? t('app.errorPrefix') : '';
    document.title = `${prefix}${view.title()} – ${t('app.name')}`;
  };

  function route() {
    view?.dispose?.();
    const url = new URL(location.href);
    shown = `${url.pathname}${url.search}`;
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const session = currentSession();
    if (path === '/app' || path === '/') {
      history.replaceState(null, '', homeOf(session));
      return route();
    }
    const found = ROUTES.map((def) => ({ def, match: def.pattern.exec(path) })).find((entry) => entry.match);
    const context: ViewContext = {
      config,
      session,
      params: found?.match?.slice(1).map(decodeURIComponent) ?? [],
      query: url.searchParams,
      navigate,
      rerender: () => render(),
      updateTitle,
    };
    if (!found) {
      view = messageView(context, 'notFound');
    } else if (!allowed(found.def.access, session)) {
      if (!session) {
        const next = encodeURIComponent(`${url.pathname}${url.search}`);
        history.replaceState(null, '', `/app/sign-in?next=${next}`);
        return route();
      }
      view = messageView(context, found.def.access === 'agency' ? 'agencyOnly' : 'notAllowed');
    } else {
      view = found.def.view(context);
    }
    render();
    if (!firstRender) {
      // A new page: start reading at its heading, as after a page load.
      const heading = root.querySelector<HTMLElement>('main h1');
      heading?.setAttribute('tabindex', '-1');
      (heading ?? root.querySelector<HTMLElement>('main'))?.focus();
      window.scrollTo(0, 0);
    }
    firstRender = false;
  }

  function switchLanguage(lang: Lang) {
    setLang(lang);
    render();
    document.getElementById('language-switch')?.focus();
  }

  function signOut() {
    clearSession();
    forgetDraft();
    if (config.auth.mode === 'cognito') location.assign(cognitoSignOutUrl(config.auth));
    else navigate('/app/sign-in?signedOut=1');
  }

  function render() {
    if (!view) return;
    const session = currentSession();
    document.documentElement.lang = currentLang();
    const other: Lang = currentLang() === 'sv' ? 'en' : 'sv';
    const path = location.pathname;
    const navLinks: { href: string; text: string }[] = [];
    if (session?.agency) {
      navLinks.push({ href: '/app/referrals/new', text: t('nav.newReferral') });
      navLinks.push({ href: '/app/referrals', text: t('nav.referrals') });
    }
    if (session && (session.teams.length > 0 || session.admin)) {
      navLinks.push({ href: '/app/cases', text: t('nav.workList') });
    }
    if (session && mayFollowUp(session)) {
      navLinks.push({ href: '/app/follow-up', text: t('nav.followUp') });
    }
    const main = h('main', { class: 'main', id: 'main', tabindex: '-1' }, view.render());
    replaceChildren(
      root,
      h('a', { class: 'skip-link', href: '#main' }, t('app.skipLink')),
      h(
        'header',
        { class: 'header' },
        h(
          'div',
          { class: 'width header__bar' },
          h('a', { class: 'header__name', href: homeOf(session) }, t('app.name')),
          h(
            'div',
            { class: 'header__tools' },
            session ? h('p', { class: 'header__user' }, t('app.signedInAs', { user: session.userId })) : null,
            h(
              'button',
              {
                type: 'button',
                class: 'header__button',
                id: 'language-switch',
                lang: other,
                onClick: () => switchLanguage(other),
              },
              tIn(other, 'app.switchLanguage'),
            ),
            session
              ? h('button', { type: 'button', class: 'header__button', onClick: signOut }, t('app.signOut'))
              : null,
          ),
        ),
        session && mayAct(session) ? headerSearch(session) : null,
        navLinks.length > 0
          ? h(
              'nav',
              { class: 'nav', 'aria-label': t('nav.label') },
              h(
                'ul',
                { class: 'width nav__list' },
                navLinks.map((link) =>
                  h(
                    'li',
                    null,
                    h(
                      'a',
                      {
                        class: 'nav__link',
                        href: link.href,
                        'aria-current': path === link.href ? 'page' : undefined,
                      },
                      link.text,
                    ),
                  ),
                ),
              ),
            )
          : null,
      ),
      h('div', { class: 'width' }, main),
      h(
        'footer',
        { class: 'footer' },
        h(
          'div',
          { class: 'width' },
          h(
            'ul',
            { class: 'footer__links' },
            h('li', null, h('a', { href: '/app/accessibility' }, t('footer.accessibility'))),
          ),
          h('p', null, t('footer.about', { municipality: config.municipality.name })),
        ),
      ),
    );
    updateTitle();
  }

  /**
   * The search in the header of every signed-in page: a case reference or an identity number goes
   * straight to the case (or, for officers, the referral); a name lists what matches (views/search.ts).
   */
  function headerSearch(session: Session): HTMLElement {
    const current =
      location.pathname === '/app/search' ? (new URL(location.href).searchParams.get('q') ?? '') : '';
    const input = h('input', {
      class: 'input header-search__input',
      id: 'header-search',
      name: 'q',
      type: 'search',
      value: current,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'header-search-hint',
    });
    const form = h(
      'form',
      { class: 'width header-search', role: 'search', 'aria-label': t('search.label') },
      h(
        'label',
        { class: 'header-search__label', for: 'header-search' },
        t(session.agency ? 'search.fieldReferrals' : 'search.field'),
      ),
      h('span', { class: 'visually-hidden', id: 'header-search-hint' }, t('search.hint')),
      h(
        'div',
        { class: 'header-search__row' },
        input,
        h('button', { class: 'button header-search__button', type: 'submit' }, t('search.submit')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const q = input.value.trim();
      if (q) navigate(`/app/search?${new URLSearchParams({ q })}`);
      else input.focus();
    });
    return form;
  }

  // Links inside the app stay in the page; anything else (new tab, other sites) is the browser's.
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    const href = link?.getAttribute('href');
    if (!link || !href?.startsWith('/app') || link.target || link.hasAttribute('download')) return;
    event.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', () => {
    if (`${location.pathname}${location.search}` !== shown) route();
  });
  route();
}
