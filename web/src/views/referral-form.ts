import type { Agency } from '../../../shared/config/deployment.js';
import { parsePersonalIdentityNumber } from '../../../shared/identity/personal-identity-number.js';
import { api, isOutage, type Problem } from '../api.js';
import type { View, ViewContext } from '../app.js';
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
import { formatDate, t, tOptional } from '../i18n.js';
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
  identityNumberKind,
  requiredSituationFields,
  SITUATION_FIELDS,
  serverErrors,
  TEXT_LIMITS,
  toReferralBody,
  validateReferralBody,
} from '../referral-validation.js';

type Accepted = { referralId: string; caseId: string; status: 'RECEIVED'; attachedToExistingCase: boolean };

/** Why the last submit did not get through, when it was not the fields' fault. */
type FormProblem = 'network' | 'server' | 'signedOut' | 'forbidden' | 'conflict' | 'tooLarge' | 'general';

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
    };
  }
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
      } else {
        status.textContent = `${t('app.errorPrefix')}${errorText({ field: 'personalIdentityNumber', kind })}`;
        status.className = 'field-status field-status--invalid';
        input.setAttribute('aria-invalid', 'true');
        input.classList.add('input--error');
        group?.classList.add('form-group--error');
      }
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
          afterId: identityStatusId,
          after: h('p', { class: 'field-status', id: identityStatusId, 'aria-live': 'polite' }),
          onInput: (value, element) => {
            set('personalIdentityNumber', value);
            showIdentityCheck(element, false);
          },
          onBlur: (_value, element) => showIdentityCheck(element, true),
        }),
        input('givenName', { autocomplete: 'off', spellcheck: false }),
        input('familyName', { autocomplete: 'off', spellcheck: false }),
        input('municipalityCode', {
          inputmode: 'numeric',
          width: 'w5',
          hint: t('form.fields.municipalityCode.hint', {
            name: config.municipality.name,
            code: config.municipality.code,
          }),
        }),
        input('phone', { type: 'tel', optional: true, width: 'w20' }),
        input('email', { type: 'email', optional: true, spellcheck: false }),
        input('preferredLanguage', { optional: true, width: 'w10', spellcheck: false }),
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
