/**
 * Form and page parts after the GOV.UK Design System's patterns (labels and hints tied to inputs with
 * aria-describedby, fieldsets with legends for groups, an error summary that links to each field,
 * error messages with a hidden "Error:" prefix), restyled neutrally in styles/main.css.
 */
import { type Child, h } from './dom.js';
import { type MessageKey, t } from './i18n.js';

type Common = {
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  optional?: boolean;
};

const labelText = (label: string, optional?: boolean) =>
  optional ? `${label} ${t('form.optionalMarker')}` : label;

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

export function hint(id: string, text: string | undefined): HTMLElement | null {
  return text ? h('div', { class: 'hint', id }, text) : null;
}

export function errorMessage(id: string, text: string | undefined): HTMLElement | null {
  return text
    ? h(
        'p',
        { class: 'error-message', id },
        h('span', { class: 'visually-hidden' }, t('app.errorPrefix')),
        text,
      )
    : null;
}

export function textField(
  options: Common & {
    value: string;
    type?: 'text' | 'email' | 'tel';
    inputmode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel';
    autocomplete?: string;
    width?: 'w5' | 'w10' | 'w20' | 'full';
    spellcheck?: boolean;
    onInput: (value: string, input: HTMLInputElement) => void;
    onBlur?: (value: string, input: HTMLInputElement) => void;
    /** Shown under the input, e.g. a live check of what was typed. */
    after?: Child;
    afterId?: string;
  },
): HTMLElement {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const input = h('input', {
    class: `input input--${options.width ?? 'full'}${options.error ? ' input--error' : ''}`,
    id: options.id,
    name: options.name,
    type: options.type ?? 'text',
    value: options.value,
    inputmode: options.inputmode,
    autocomplete: options.autocomplete ?? 'off',
    spellcheck: options.spellcheck === undefined ? undefined : String(options.spellcheck),
    'aria-describedby': describedBy(hintId, errorId, options.afterId),
    'aria-invalid': options.error ? 'true' : undefined,
  });
  input.addEventListener('input', () => options.onInput(input.value, input));
  if (options.onBlur) {
    const onBlur = options.onBlur;
    input.addEventListener('blur', () => onBlur(input.value, input));
  }
  return h(
    'div',
    { class: `form-group${options.error ? ' form-group--error' : ''}` },
    h('label', { class: 'label', for: options.id }, labelText(options.label, options.optional)),
    hint(`${options.id}-hint`, options.hint),
    errorMessage(`${options.id}-error`, options.error),
    input,
    options.after,
  );
}

export function textareaField(
  options: Common & { value: string; maxLength: number; rows?: number; onInput: (value: string) => void },
): HTMLElement {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const countId = `${options.id}-count`;
  const count = h('div', { class: 'hint character-count', id: countId });
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  const textarea = h('textarea', {
    class: `textarea${options.error ? ' input--error' : ''}`,
    id: options.id,
    name: options.name,
    rows: options.rows ?? 5,
    spellcheck: 'true',
    'aria-describedby': describedBy(hintId, errorId, countId),
    'aria-invalid': options.error ? 'true' : undefined,
  });
  textarea.value = options.value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = (announce: boolean) => {
    const left = options.maxLength - textarea.value.length;
    const text =
      textarea.value.length === 0
        ? t('form.characterCount.limit', { max: options.maxLength })
        : left >= 0
          ? t('form.characterCount.left', { count: left })
          : t('form.characterCount.over', { count: -left });
    count.textContent = text;
    count.classList.toggle('character-count--over', left < 0);
    if (announce) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        announcer.textContent = text;
      }, 1000);
    }
  };
  textarea.addEventListener('input', () => {
    options.onInput(textarea.value);
    update(true);
  });
  update(false);
  return h(
    'div',
    { class: `form-group${options.error ? ' form-group--error' : ''}` },
    h('label', { class: 'label', for: options.id }, labelText(options.label, options.optional)),
    hint(`${options.id}-hint`, options.hint),
    errorMessage(`${options.id}-error`, options.error),
    textarea,
    count,
    announcer,
  );
}

export type Option = { value: string; label: string; hint?: string };

/** A group of radios in a fieldset; the first radio carries `id`, so an error link can reach it. */
export function radiosField(
  options: Omit<Common, 'label'> & {
    legend: string;
    options: Option[];
    value: string;
    inline?: boolean;
    onChange: (value: string) => void;
  },
): HTMLElement {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  return h(
    'div',
    { class: `form-group${options.error ? ' form-group--error' : ''}` },
    h(
      'fieldset',
      { class: 'fieldset', 'aria-describedby': describedBy(hintId, errorId) },
      h('legend', { class: 'fieldset__legend' }, labelText(options.legend, options.optional)),
      hint(`${options.id}-hint`, options.hint),
      errorMessage(`${options.id}-error`, options.error),
      h(
        'div',
        { class: `choices${options.inline ? ' choices--inline' : ''}` },
        options.options.map((option, index) => {
          const id = index === 0 ? options.id : `${options.id}-${option.value}`;
          const input = h('input', {
            class: 'choice__input',
            type: 'radio',
            id,
            name: options.name,
            value: option.value,
            checked: options.value === option.value,
            'aria-describedby': option.hint ? `${id}-hint` : undefined,
          });
          input.addEventListener('change', () => {
            if (input.checked) options.onChange(option.value);
          });
          return h(
            'div',
            { class: 'choice' },
            input,
            h('label', { class: 'choice__label', for: id }, option.label),
            option.hint ? h('div', { class: 'hint choice__hint', id: `${id}-hint` }, option.hint) : null,
          );
        }),
      ),
    ),
  );
}

/** Checkboxes in a fieldset; `values` are the checked ones. */
export function checkboxesField(
  options: Omit<Common, 'label'> & {
    legend: string;
    options: Option[];
    values: readonly string[];
    onChange: (values: string[]) => void;
  },
): HTMLElement {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const inputs: HTMLInputElement[] = [];
  return h(
    'div',
    { class: `form-group${options.error ? ' form-group--error' : ''}` },
    h(
      'fieldset',
      { class: 'fieldset', 'aria-describedby': describedBy(hintId, errorId) },
      h('legend', { class: 'fieldset__legend' }, labelText(options.legend, options.optional)),
      hint(`${options.id}-hint`, options.hint),
      errorMessage(`${options.id}-error`, options.error),
      h(
        'div',
        { class: 'choices' },
        options.options.map((option, index) => {
          const id = index === 0 ? options.id : `${options.id}-${option.value}`;
          const input = h('input', {
            class: 'choice__input',
            type: 'checkbox',
            id,
            name: options.name,
            value: option.value,
            checked: options.values.includes(option.value),
          });
          inputs.push(input);
          input.addEventListener('change', () =>
            options.onChange(inputs.filter((box) => box.checked).map((box) => box.value)),
          );
          return h(
            'div',
            { class: 'choice choice--checkbox' },
            input,
            h('label', { class: 'choice__label', for: id }, option.label),
          );
        }),
      ),
    ),
  );
}

/** One checkbox with its own label (e.g. the consent); the error sits above it. */
export function checkboxField(
  options: Common & { checked: boolean; onChange: (checked: boolean) => void },
): HTMLElement {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const input = h('input', {
    class: 'choice__input',
    type: 'checkbox',
    id: options.id,
    name: options.name,
    value: 'true',
    checked: options.checked,
    'aria-describedby': describedBy(hintId, errorId),
    'aria-invalid': options.error ? 'true' : undefined,
  });
  input.addEventListener('change', () => options.onChange(input.checked));
  return h(
    'div',
    { class: `form-group${options.error ? ' form-group--error' : ''}` },
    errorMessage(`${options.id}-error`, options.error),
    h(
      'div',
      { class: 'choice choice--checkbox' },
      input,
      h('label', { class: 'choice__label', for: options.id }, labelText(options.label, options.optional)),
      hint(`${options.id}-hint`, options.hint),
    ),
  );
}

/**
 * The error summary: focused when it appears (so it is read out), every error a link that moves
 * focus to its field and shows the field's label or legend.
 */
export function errorSummary(items: { href: string; text: string }[]): HTMLElement {
  const follow = (event: MouseEvent, href: string) => {
    const target = document.getElementById(href.slice(1));
    if (!target) return;
    event.preventDefault();
    const legend = target.closest('fieldset')?.querySelector('legend');
    const label = document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
    (legend ?? label ?? target).scrollIntoView();
    target.focus({ preventScroll: true });
  };
  return h(
    'div',
    { class: 'error-summary', 'aria-labelledby': 'error-summary-title', tabindex: '-1', id: 'error-summary' },
    h('h2', { class: 'error-summary__title', id: 'error-summary-title' }, t('form.errorSummaryTitle')),
    h(
      'ul',
      { class: 'error-summary__list' },
      items.map((item) =>
        h(
          'li',
          null,
          h('a', { href: item.href, onClick: (event: MouseEvent) => follow(event, item.href) }, item.text),
        ),
      ),
    ),
  );
}

/** A calm message in a box: information, a warning (with a hidden prefix) or a success. */
export function notice(tone: 'info' | 'warning' | 'success', title: string, ...body: Child[]): HTMLElement {
  return h(
    'div',
    { class: `notice notice--${tone}` },
    h(
      'h2',
      { class: 'notice__title' },
      tone === 'warning' ? h('span', { class: 'visually-hidden' }, t('app.warningPrefix')) : null,
      title,
    ),
    body.length > 0 ? h('div', { class: 'notice__body' }, ...body) : null,
  );
}

/** The words a list page uses for its states. */
export type ListMessages = {
  outageTitle: MessageKey;
  outage: MessageKey;
  failedTitle: MessageKey;
  failed: MessageKey;
  empty: MessageKey;
};

/**
 * What a list page shows above its rows: a calm notice when loading failed (the service is down, or
 * another problem), "loading" until the first page arrives, and "none yet" when there are no rows.
 */
export function listState(
  state: { failure: 'outage' | 'other' | undefined; loaded: boolean; empty: boolean },
  messages: ListMessages,
): Node[] {
  const parts: Node[] = [];
  if (state.failure) {
    const outage = state.failure === 'outage';
    parts.push(
      notice(
        'warning',
        t(outage ? messages.outageTitle : messages.failedTitle),
        h('p', null, t(outage ? messages.outage : messages.failed)),
      ),
    );
  }
  if (!state.loaded) parts.push(h('p', { class: 'body' }, t('app.loading')));
  else if (state.empty && !state.failure) parts.push(h('p', { class: 'body' }, t(messages.empty)));
  return parts;
}

/** The session ended while a page was open: say so, and link back here after signing in. */
export function signedOutNotice(): HTMLElement {
  return notice(
    'warning',
    t('form.problem.signedOutTitle'),
    h(
      'p',
      null,
      h(
        'a',
        { href: `/app/sign-in?next=${encodeURIComponent(location.pathname)}` },
        t('form.problem.signIn'),
      ),
    ),
  );
}

/** Key–value rows (a description list), as GOV.UK's summary list. */
export function summaryList(rows: readonly (readonly [string, Child] | null | false)[]): HTMLElement {
  return h(
    'dl',
    { class: 'summary-list' },
    rows
      .filter((row): row is readonly [string, Child] => Boolean(row))
      .map(([key, value]) =>
        h('div', { class: 'summary-list__row' }, h('dt', null, key), h('dd', null, value)),
      ),
  );
}

/** A short status word in a box; the word carries the meaning, the colour only repeats it. */
export function tag(text: string, tone: 'grey' | 'blue' | 'green' | 'yellow' | 'red' = 'grey'): HTMLElement {
  return h('strong', { class: `tag tag--${tone}` }, text);
}

export function button(
  text: string,
  attrs: {
    type?: 'submit' | 'button';
    secondary?: boolean;
    onClick?: (event: MouseEvent) => void;
    id?: string;
  } = {},
): HTMLButtonElement {
  return h(
    'button',
    {
      class: `button${attrs.secondary ? ' button--secondary' : ''}`,
      type: attrs.type ?? 'submit',
      id: attrs.id,
      onClick: attrs.onClick,
    },
    text,
  );
}

/** A table of results: a caption for screen readers, column headings, and one row of cells each. */
export function dataTable(
  caption: string,
  headings: readonly string[],
  rows: readonly Child[][],
): HTMLElement {
  return h(
    'div',
    { class: 'table-wrapper' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headings.map((heading) => h('th', { scope: 'col' }, heading)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((cell) => h('td', null, cell)),
          ),
        ),
      ),
    ),
  );
}
