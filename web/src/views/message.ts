import { h } from '../dom.js';
import { type MessageKey, t } from '../i18n.js';
import type { View, ViewContext } from '../view.js';

export type MessageKind = 'notFound' | 'notAllowed' | 'agencyOnly';

/** A page that only says something: not found, or not for this role. */
export function messageView(_context: ViewContext, kind: MessageKind): View {
  const key = (part: 'title' | 'body') => `pages.${kind}.${part}` as MessageKey;
  return {
    title: () => t(key('title')),
    render: () =>
      h(
        'div',
        null,
        h('h1', { class: 'heading-l' }, t(key('title'))),
        h('p', { class: 'body' }, t(key('body'))),
        h('p', { class: 'body' }, h('a', { href: '/app/' }, t('pages.backToStart'))),
      ),
  };
}
