import type { Agency } from '../../../shared/config/deployment.js';
import { parsePersonalIdentityNumber } from '../../../shared/identity/personal-identity-number.js';
import { api, isOutage, type Problem } from '../api.js';
import {
  button,
  checkboxesField,
  checkboxField,
  errorSummary,
  notice,
  radiosField,
  textareaField,
  textField,
} from '../components.js';
import { h } from '../dom.js';
import { currentLang, formatDate, t, tOptional } from '../i18n.js';
import { agencyName, teamName } from '../names.js';
import {
  COMPENSATIONS,
  CONSENT_METHODS,
  cleanIdentityNumber,
  emptyValues,
  FIELDS,
  type FieldError,
  type FieldName,
  type FormValues,
  type IdentityWarning,
  identityNumberKind,
  identityNumberWarnings,
  requiredSituationFields,
  SITUATION_FIELDS,
  serverErrors,
  TEXT_LIMITS,
  toReferralBody,
  validateReferralBody,
} from '../referral-validation.js';
import type { View, ViewContext } from '../view.js';

type Accepted = { referralId: string; caseId: string; status: 'RECEIVED'; attachedToExistingCase: boolean };

/** Why the last submit did not get through, when it was not the fields' fault. */
type FormProblem =
  | 'network'
  | 'server'
  | 'signedOut'
  | 'forbidden'
  | 'conflict'
  | 'tooLarge'
  | 'general'
  | 'identityWarning';

/**
 * Languages people referred here commonly prefer, as BCP 47 tags; the form names them in the reader's
 * language (Intl, or the message file where Intl's name is not the one people use).
 */
const COMMON_LANGUAGES = [
  'sv',
  'ar',
  'so',
  'ti',
  'fa',
  'prs',
  'ps',
  'kmr',
  'ckb',
  'am',
  'en',
  'pl',
  'bs',
  'sr',
  'hr',
  'tr',
  'ru',
  'uk',
  'es',
  'th',
  'fi',
] as const;
/** The select's value for "another language": a tag is typed instead. */
const OTHER = 'other';

function languageName(tag: string): string {
  const own = tOptional(`form.language.names.${tag}`);
  if (own) return own;
  try {
    return new Intl.DisplayNames([currentLang()], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * One form fill: what was typed, its errors and the Idempotency-Key every submit of this fill reuses,
 * so a resubmit after a lost answer cannot create a second referral. Kept at module level, so leaving
 * the page (or signing in again) and coming back keeps what was typed; a successful submit clears it.
 */
type Draft = {
  agency: Agency;
  values: FormValues;
  errors: FieldError[];
  problem?: FormProblem | undefined;
  generalErrors: string[];
  idempotencyKey: string;
  /** The identity number the officer was warned about (age, `+`): submitting it again sends it. */
  warnedFor?: string | undefined;
  /** "Another municipality" / "another language" chosen: the code or tag is typed. */
  otherMunicipality: boolean;
  otherLanguage: boolean;
};
let draft: Draft | undefined;

/** Signing out forgets what was typed: the next person at this computer must not see it. */
export function forgetDraft(): void {
  draft = undefined;
}

const fieldId = (name: FieldName) => `f-${FIELDS[name].path.replace(/\./g, '-')}`;
const fieldLabel = (name: FieldName) => tOptional(`form.fields.${name}.label`) ?? name;
const fieldHint = (name: FieldName) => tOptional(`form.fields.${name}.hint`);
const errorText = (error: FieldError) =>
  tOptional(`form.errors.${error.field}.${error.kind}`) ??
  tOptional(`form.errors.${error.field}.invalid`) ??
  t('form.errors.generic', { field: fieldLabel(error.field) });

/** The first warning, in words: a `+` is the likelier mistake, and says the age too. */
function warningText(warnings: readonly IdentityWarning[]): string {
  const first = warnings[0];
  if (!first) return '';
  return first.kind === 'plus'
    ? t('form.identity.plusWarning')
    : t('form.identity.ageWarning', { age: first.age });
}

export function referralFormView(context: ViewContext): View {
  const { config } = context;
  const agency = context.session?.agency as Agency;
  const recipientTeams = config.teams.filter((team) => team !== 'front-desk');
  if (!draft || draft.agency !== agency) {
    draft = {
      agency,
      values: emptyValues({ municipalityCode: config.municipality.code, recipients: recipientTeams }),
      errors: [],
      generalErrors: [],
      idempotencyKey: crypto.randomUUID(),
      otherMunicipality: false,
      otherLanguage: false,
    };
  }
  const homeCode = config.municipality.code;
  const state = draft;
  let submitting = false;
  let focusAfterRender: 'summary' | 'problem' | undefined;
  const required = new Set<FieldName>(requiredSituationFields(agency));

  const set = (name: FieldName, value: string | boolean | string[]) => {
    state.values[name] = value;
  };
  const errorOf = (name: FieldName) => {
    const error = state.errors.find((entry) => entry.field === name);
    return error ? errorText(error) : undefined;
  };
  const text = (name: FieldName) => String(state.values[name] ?? '');

  // --- The identity number, checked as it is typed -------------------------------------------------
  let identityTimer: ReturnType<typeof setTimeout> | undefined;
  function showIdentityCheck(input: HTMLInputElement, now: boolean) {
    clearTimeout(identityTimer);
    const check = () => {
      const raw = input.value;
      const digits = raw.replace(/\D/g, '').length;
      const status = document.getElementById(`${fieldId('personalIdentityNumber')}-status`);
      if (!status) return;
      if (raw.trim() === '' || (!now && digits < 10)) {
        status.textContent = '';
        status.className = 'field-status';
        showIdentityWarning([]);
        return;
      }
      const kind = identityNumberKind(raw);
      const group = input.closest('.form-group');
      if (kind === undefined) {
        const parsed = parsePersonalIdentityNumber(cleanIdentityNumber(raw));
        const birth = parsed.ok
          ? formatDate(
              `${parsed.value.birthDate.year}-${String(parsed.value.birthDate.month).padStart(2, '0')}-${String(parsed.value.birthDate.day).padStart(2, '0')}`,
            )
          : '';
        status.textContent =
          parsed.ok && parsed.value.coordinationNumber
            ? t('form.identity.validCoordination', { date: birth })
            : t('form.identity.valid', { date: birth });
        status.className = 'field-status field-status--valid';
        input.removeAttribute('aria-invalid');
        group?.classList.remove('form-group--error');
        input.classList.remove('input--error');
        state.errors = state.errors.filter((error) => error.field !== 'personalIdentityNumber');
        document.getElementById(`${fieldId('personalIdentityNumber')}-error`)?.remove();
        showIdentityWarning(identityNumberWarnings(raw));
      } else {
        showIdentityWarning([]);
        status.textContent = `${t('app.errorPrefix')}${errorText({ field: 'personalIdentityNumber', kind })}`;
        status.className = 'field-status field-status--invalid';
        input.setAttribute('aria-invalid', 'true');
        input.classList.add('input--error');
        group?.classList.add('form-group--error');
      }
    };
    const showIdentityWarning = (warnings: IdentityWarning[]) => {
      const element = document.getElementById(`${fieldId('personalIdentityNumber')}-warning`);
      if (!element) return;
      const text = warningText(warnings);
      element.textContent = text ? `${t('app.warningPrefix')}${text}` : '';
      element.className = text ? 'field-status field-status--warning' : 'field-status';
    };
    // While typing, a 10-digit number may be the start of a 12-digit one: wait for a pause.
    if (now) check();
    else identityTimer = setTimeout(check, 600);
  }

  // --- Rendering --------------------------------------------------------------------------------------
  const input = (name: FieldName, extra: Partial<Parameters<typeof textField>[0]> = {}): HTMLElement =>
    textField({
      id: fieldId(name),
      name: FIELDS[name].path,
      label: fieldLabel(name),
      hint: fieldHint(name),
      error: errorOf(name),
      value: text(name),
      onInput: (value) => set(name, value),
      ...extra,
    });

  const yesNo = (name: FieldName, optional: boolean) =>
    radiosField({
      id: fieldId(name),
      name: FIELDS[name].path,
      legend: fieldLabel(name),
      hint: fieldHint(name),
      error: errorOf(name),
      optional,
      inline: true,
      options: [
        { value: 'yes', label: t('form.yes') },
        { value: 'no', label: t('form.no') },
      ],
      value: text(name),
      onChange: (value) => set(name, value),
    });

  const months = (name: FieldName, optional: boolean) =>
    input(name, { optional, inputmode: 'numeric', width: 'w5', spellcheck: false });

  function situationField(name: FieldName): HTMLElement {
    const optional = !required.has(name);
    switch (FIELDS[name].type) {
      case 'yesNo':
        return yesNo(name, optional);
      case 'months':
        return months(name, optional);
      case 'hours':
        return input(name, { optional, inputmode: 'decimal', width: 'w5', spellcheck: false });
      default:
        return radiosField({
          id: fieldId(name),
          name: FIELDS[name].path,
          legend: fieldLabel(name),
          hint: fieldHint(name),
          error: errorOf(name),
          optional,
          options: COMPENSATIONS.map((value) => ({ value, label: t(`form.compensation.${value}`) })),
          value: text(name),
          onChange: (value) => set(name, value),
        });
    }
  }

  /**
   * A conditional reveal (GOV.UK): a text input under a choice, shown only while that choice is made.
   * Hidden, not removed, so what was typed stays.
   */
  function revealed(id: string, shown: boolean, field: HTMLElement): HTMLElement {
    return h('div', { class: 'choice__conditional', id, hidden: !shown }, field);
  }

  /** The home municipality: the deployment's own first, or another one's code. */
  function municipalityField(): HTMLElement {
    const otherId = `${fieldId('municipalityCode')}-code`;
    let other = state.otherMunicipality || text('municipalityCode') !== homeCode;
    const codeInput = textField({
      id: otherId,
      name: 'municipalityCodeOther',
      label: t('form.municipality.otherLabel'),
      hint: t('form.municipality.otherHint'),
      value: other ? text('municipalityCode') : '',
      inputmode: 'numeric',
      width: 'w5',
      spellcheck: false,
      onInput: (value) => set('municipalityCode', value),
    });
    const conditional = revealed(`${otherId}-conditional`, other, codeInput);
    const group = radiosField({
      id: fieldId('municipalityCode'),
      name: FIELDS.municipalityCode.path,
      legend: t('form.municipality.legend'),
      error: errorOf('municipalityCode'),
      options: [
        { value: homeCode, label: t('referral.municipality', { name: config.municipality.name }) },
        { value: OTHER, label: t('form.municipality.other') },
      ],
      value: other ? OTHER : homeCode,
      onChange: (value) => {
        other = value === OTHER;
        state.otherMunicipality = other;
        conditional.hidden = !other;
        const typed = conditional.querySelector('input');
        set('municipalityCode', other ? (typed?.value ?? '') : homeCode);
      },
    });
    group.querySelector('.choices')?.append(conditional);
    return group;
  }

  /** The preferred language: common ones by name (the tag is the value), or another tag typed. */
  function languageField(): HTMLElement {
    const id = fieldId('preferredLanguage');
    const otherId = `${id}-tag`;
    const current = text('preferredLanguage');
    const known = (COMMON_LANGUAGES as readonly string[]).includes(current);
    let other = state.otherLanguage || (current !== '' && !known);
    const error = errorOf('preferredLanguage');
    const options = COMMON_LANGUAGES.map((tag) => ({ tag, name: languageName(tag) })).sort((a, b) =>
      a.name.localeCompare(b.name, currentLang()),
    );
    const tagInput = textField({
      id: otherId,
      name: 'preferredLanguageOther',
      label: t('form.language.otherLabel'),
      hint: t('form.language.otherHint'),
      error: other ? error : undefined,
      value: other ? current : '',
      width: 'w10',
      spellcheck: false,
      onInput: (value) => set('preferredLanguage', value),
    });
    const conditional = revealed(`${otherId}-conditional`, other, tagInput);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const select = h(
      'select',
      {
        class: `select${error && !other ? ' input--error' : ''}`,
        id,
        name: FIELDS.preferredLanguage.path,
        'aria-describedby': error && !other ? `${hintId} ${errorId}` : hintId,
      },
      h('option', { value: '', selected: !other && current === '' }, t('form.language.none')),
      options.map(({ tag, name }) =>
        h('option', { value: tag, lang: tag, selected: !other && current === tag }, name),
      ),
      h('option', { value: OTHER, selected: other }, t('form.language.other')),
    );
    select.addEventListener('change', () => {
      other = select.value === OTHER;
      state.otherLanguage = other;
      conditional.hidden = !other;
      const typed = conditional.querySelector('input');
      set('preferredLanguage', other ? (typed?.value ?? '') : select.value);
    });
    return h(
      'div',
      { class: `form-group${error && !other ? ' form-group--error' : ''}` },
      h(
        'label',
        { class: 'label', for: id },
        `${fieldLabel('preferredLanguage')} ${t('form.optionalMarker')}`,
      ),
      h('div', { class: 'hint', id: hintId }, fieldHint('preferredLanguage')),
      error && !other
        ? h(
            'p',
            { class: 'error-message', id: errorId },
            h('span', { class: 'visually-hidden' }, t('app.errorPrefix')),
            error,
          )
        : null,
      select,
      conditional,
    );
  }

  function problemNotice(): HTMLElement | null {
    if (!state.problem) return null;
    const body: Record<FormProblem, () => HTMLElement> = {
      network: () =>
        notice('warning', t('form.problem.networkTitle'), h('p', null, t('form.problem.network'))),
      server: () => notice('warning', t('form.problem.serverTitle'), h('p', null, t('form.problem.server'))),
      signedOut: () =>
        notice(
          'warning',
          t('form.problem.signedOutTitle'),
          h('p', null, t('form.problem.signedOut')),
          h(
            'p',
            null,
            h('a', { href: '/app/sign-in?next=%2Fapp%2Freferrals%2Fnew' }, t('form.problem.signIn')),
          ),
        ),
      forbidden: () =>
        notice('warning', t('form.problem.forbiddenTitle'), h('p', null, t('form.problem.forbidden'))),
      conflict: () =>
        notice(
          'warning',
          t('form.problem.conflictTitle'),
          h('p', null, t('form.problem.conflict')),
          h('p', null, h('a', { href: '/app/referrals' }, t('nav.referrals'))),
        ),
      tooLarge: () =>
        notice('warning', t('form.problem.tooLargeTitle'), h('p', null, t('form.problem.tooLarge'))),
      identityWarning: () =>
        notice(
          'warning',
          t('form.identity.warningTitle'),
          h(
            'p',
            null,
            h(
              'a',
              { href: `#${fieldId('personalIdentityNumber')}` },
              warningText(identityNumberWarnings(text('personalIdentityNumber'))),
            ),
          ),
          h('p', null, t('form.identity.warningAgain')),
        ),
      general: () =>
        notice(
          'warning',
          t('form.problem.generalTitle'),
          h('p', null, t('form.problem.general')),
          state.generalErrors.length > 0 ? h('p', null, state.generalErrors.join(', ')) : null,
        ),
    };
    const element = body[state.problem]();
    element.id = 'form-problem';
    element.setAttribute('tabindex', '-1');
    return element;
  }

  function render(): Node {
    const identityStatusId = `${fieldId('personalIdentityNumber')}-status`;
    const identityWarningId = `${fieldId('personalIdentityNumber')}-warning`;
    const requiredFields = SITUATION_FIELDS.filter((name) => required.has(name));
    const otherFields = SITUATION_FIELDS.filter((name) => !required.has(name));
    const form = h(
      'form',
      { class: 'form', novalidate: true, 'aria-labelledby': 'page-heading' },
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'person-heading' },
        h('h2', { class: 'heading-m', id: 'person-heading' }, t('form.sections.person')),
        input('personalIdentityNumber', {
          width: 'w20',
          inputmode: 'text',
          spellcheck: false,
          afterId: `${identityStatusId} ${identityWarningId}`,
          after: [
            h('p', { class: 'field-status', id: identityStatusId, 'aria-live': 'polite' }),
            h(
              'p',
              {
                class: warningText(identityNumberWarnings(text('personalIdentityNumber')))
                  ? 'field-status field-status--warning'
                  : 'field-status',
                id: identityWarningId,
                'aria-live': 'polite',
              },
              warningText(identityNumberWarnings(text('personalIdentityNumber')))
                ? `${t('app.warningPrefix')}${warningText(identityNumberWarnings(text('personalIdentityNumber')))}`
                : '',
            ),
          ],
          onInput: (value, element) => {
            set('personalIdentityNumber', value);
            showIdentityCheck(element, false);
          },
          onBlur: (_value, element) => showIdentityCheck(element, true),
        }),
        input('givenName', { autocomplete: 'off', spellcheck: false }),
        input('familyName', { autocomplete: 'off', spellcheck: false }),
        municipalityField(),
        input('phone', { type: 'tel', optional: true, width: 'w20' }),
        input('email', { type: 'email', optional: true, spellcheck: false }),
        languageField(),
        checkboxField({
          id: fieldId('interpreterNeeded'),
          name: FIELDS.interpreterNeeded.path,
          label: fieldLabel('interpreterNeeded'),
          error: errorOf('interpreterNeeded'),
          checked: state.values.interpreterNeeded === true,
          onChange: (checked) => set('interpreterNeeded', checked),
        }),
        textareaField({
          id: fieldId('accessibilityNeeds'),
          name: FIELDS.accessibilityNeeds.path,
          label: fieldLabel('accessibilityNeeds'),
          hint: fieldHint('accessibilityNeeds'),
          error: errorOf('accessibilityNeeds'),
          optional: true,
          rows: 3,
          maxLength: TEXT_LIMITS.accessibilityNeeds,
          value: text('accessibilityNeeds'),
          onInput: (value) => set('accessibilityNeeds', value),
        }),
      ),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'consent-heading' },
        h('h2', { class: 'heading-m', id: 'consent-heading' }, t('form.sections.consent')),
        h('p', { class: 'body' }, t('form.consentIntro')),
        checkboxField({
          id: fieldId('given'),
          name: FIELDS.given.path,
          label: fieldLabel('given'),
          hint: fieldHint('given'),
          error: errorOf('given'),
          checked: state.values.given === true,
          onChange: (checked) => set('given', checked),
        }),
        input('recordedAt', { width: 'w10', inputmode: 'numeric', spellcheck: false }),
        radiosField({
          id: fieldId('method'),
          name: FIELDS.method.path,
          legend: fieldLabel('method'),
          error: errorOf('method'),
          optional: true,
          inline: true,
          options: CONSENT_METHODS.map((value) => ({ value, label: t(`form.consentMethod.${value}`) })),
          value: text('method'),
          onChange: (value) => set('method', value),
        }),
        checkboxesField({
          id: fieldId('recipients'),
          name: FIELDS.recipients.path,
          legend: fieldLabel('recipients'),
          hint: fieldHint('recipients'),
          error: errorOf('recipients'),
          options: recipientTeams.map((team) => ({ value: team, label: teamName(team) })),
          values: state.values.recipients as string[],
          onChange: (values) => set('recipients', values),
        }),
        input('validUntil', { optional: true, width: 'w10', inputmode: 'numeric', spellcheck: false }),
      ),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'situation-heading' },
        h('h2', { class: 'heading-m', id: 'situation-heading' }, t('form.sections.situation')),
        h('p', { class: 'body' }, t('form.situationIntro', { agency: agencyName(agency) })),
        requiredFields.map(situationField),
        h('h3', { class: 'heading-s' }, t('form.sections.situationMore')),
        h('p', { class: 'body' }, t('form.situationMoreIntro')),
        otherFields.map(situationField),
      ),
      h(
        'section',
        { class: 'section', 'aria-labelledby': 'reason-heading' },
        h('h2', { class: 'heading-m', id: 'reason-heading' }, t('form.sections.reason')),
        textareaField({
          id: fieldId('reason'),
          name: FIELDS.reason.path,
          label: fieldLabel('reason'),
          hint: fieldHint('reason'),
          error: errorOf('reason'),
          optional: true,
          rows: 6,
          maxLength: TEXT_LIMITS.reason,
          value: text('reason'),
          onInput: (value) => set('reason', value),
        }),
      ),
      h(
        'div',
        { class: 'form-actions' },
        button(t('form.submit'), { id: 'submit-referral' }),
        h('p', { class: 'hint', id: 'submit-status', role: 'status' }),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submit();
    });
    const summaryItems = state.errors.map((error) => ({
      href: `#${fieldId(error.field)}`,
      text: errorText(error),
    }));
    const page = h(
      'div',
      null,
      h('h1', { class: 'heading-l', id: 'page-heading' }, t('form.title')),
      h('p', { class: 'lead' }, t('form.lead', { agency: agencyName(agency) })),
      problemNotice(),
      summaryItems.length > 0 ? errorSummary(summaryItems) : null,
      h('p', { class: 'body' }, t('form.optionalNote')),
      form,
    );
    if (focusAfterRender) {
      const target = focusAfterRender === 'summary' ? '#error-summary' : '#form-problem';
      focusAfterRender = undefined;
      queueMicrotask(() => {
        const element = document.querySelector<HTMLElement>(target);
        element?.scrollIntoView();
        element?.focus({ preventScroll: true });
      });
    }
    return page;
  }

  function showErrors(focus: 'summary' | 'problem') {
    focusAfterRender = focus;
    context.rerender();
  }

  async function submit() {
    if (submitting) return; // a second click while the first is on its way
    const body = toReferralBody(state.values, recipientTeams);
    const errors = validateReferralBody(body, agency, config.teams);
    state.problem = undefined;
    state.generalErrors = [];
    if (errors.length > 0) {
      state.errors = errors;
      return showErrors('summary');
    }
    state.errors = [];
    // A valid number the screening would find out of range (or a `+`): say so once before sending.
    const number = cleanIdentityNumber(text('personalIdentityNumber'));
    if (identityNumberWarnings(number).length > 0 && state.warnedFor !== number) {
      state.warnedFor = number;
      state.problem = 'identityWarning';
      return showErrors('problem');
    }
    submitting = true;
    const status = document.getElementById('submit-status');
    if (status) status.textContent = t('form.sending');
    document.getElementById('submit-referral')?.setAttribute('aria-disabled', 'true');
    const outcome = await api<Accepted>('/referrals', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': state.idempotencyKey },
    });
    submitting = false;
    if (outcome.kind === 'ok') {
      draft = undefined;
      const query = new URLSearchParams({ received: '1', case: outcome.data.caseId });
      if (outcome.data.attachedToExistingCase) query.set('attached', '1');
      return context.navigate(`/app/referrals/${encodeURIComponent(outcome.data.referralId)}?${query}`);
    }
    if (isOutage(outcome)) {
      state.problem = outcome.kind === 'network' ? 'network' : 'server';
      return showErrors('problem');
    }
    const problem = (outcome as { problem: Problem }).problem;
    if (problem.status === 400 && problem.errors && problem.errors.length > 0) {
      const mapped = serverErrors(problem.errors, validateReferralBody(body, agency, config.teams));
      state.errors = mapped.fields;
      if (mapped.general.length > 0) {
        state.problem = 'general';
        state.generalErrors = mapped.general;
      }
      return showErrors(mapped.fields.length > 0 ? 'summary' : 'problem');
    }
    state.problem =
      problem.status === 401
        ? 'signedOut'
        : problem.status === 403
          ? 'forbidden'
          : problem.status === 409
            ? 'conflict'
            : problem.status === 413
              ? 'tooLarge'
              : 'general';
    return showErrors('problem');
  }

  return {
    title: () => t('form.title'),
    hasErrors: () => state.errors.length > 0,
    render,
    dispose: () => clearTimeout(identityTimer),
  };
}
