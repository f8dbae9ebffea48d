import { notice } from '../components.js';
import { h, replaceChildren } from '../dom.js';
import { t } from '../i18n.js';
import { completeCognitoSignIn } from '../session.js';
import type { View, ViewContext } from '../view.js';

/** Where the Cognito hosted UI sends the browser back with a code. */
export function authCallbackView(context: ViewContext): View {
  let failed = false;
  let body: HTMLElement | undefined;
  const draw = () => {
    if (!body) return;
    replaceChildren(
      body,
      failed
        ? notice(
            'warning',
            t('signIn.failed'),
            h('p', null, h('a', { href: '/app/sign-in' }, t('signIn.again'))),
          )
        : h('p', { class: 'body', role: 'status' }, t('signIn.completing')),
    );
  };
  if (context.config.auth.mode === 'cognito') {
    completeCognitoSignIn(context.config.auth, new URL(location.href)).then(
      (next) => context.navigate(next, { replace: true }),
      () => {
        failed = true;
        draw();
      },
    );
  } else {
    failed = true;
  }
  return {
    title: () => t('signIn.title'),
    render() {
      body = h('div');
      draw();
      return h('div', null, h('h1', { class: 'heading-l' }, t('signIn.title')), body);
    },
  };
}
