import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { View, ViewContext } from '../view.js';

/** Tillgänglighetsredogörelse: conformance, how it was tested, how to report a problem, supervision. */
export function accessibilityView(context: ViewContext): View {
  const { config } = context;
  return {
    title: () => t('accessibility.title'),
    render: () =>
      h(
        'div',
        { class: 'prose' },
        h('h1', { class: 'heading-l' }, t('accessibility.title')),
        h('p', { class: 'lead' }, t('accessibility.intro', { municipality: config.municipality.name })),
        h('h2', { class: 'heading-m' }, t('accessibility.conformanceHeading')),
        h('p', null, t('accessibility.conformance')),
        h('h2', { class: 'heading-m' }, t('accessibility.testedHeading')),
        h('p', null, t('accessibility.tested')),
        h(
          'ul',
          { class: 'list list--bullet' },
          h('li', null, t('accessibility.testedAutomatic')),
          h('li', null, t('accessibility.testedKeyboard')),
          h('li', null, t('accessibility.testedZoom')),
          h('li', null, t('accessibility.testedLanguages')),
        ),
        h('h2', { class: 'heading-m' }, t('accessibility.limitationsHeading')),
        h('p', null, t('accessibility.limitations')),
        h('h2', { class: 'heading-m' }, t('accessibility.reportHeading')),
        h('p', null, t('accessibility.report')),
        h('p', null, h('a', { href: `mailto:${config.accessibilityContact}` }, config.accessibilityContact)),
        h('p', null, t('accessibility.reportAnswer')),
        h('h2', { class: 'heading-m' }, t('accessibility.supervisionHeading')),
        h('p', null, t('accessibility.supervision')),
        h('p', null, h('a', { href: t('accessibility.supervisionUrl') }, t('accessibility.supervisionLink'))),
        h('h2', { class: 'heading-m' }, t('accessibility.updatedHeading')),
        h('p', null, t('accessibility.updated')),
      ),
  };
}
