import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewSchema, teamMessageSchema, workListSchema } from '../../shared/cases/schemas.js';
import { referralListSchema, referralViewSchema } from '../../shared/referrals/views.js';
import { swedishDateOf } from '../../shared/time.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** CONTRACT.md v1.1, "Case reference and search": a reference people can read out on the phone. */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];
const REFERENCE = /^FD-(\d{4})-(\d{5})$/;

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the case reference', () => {
  it('gives 50 cases opened at once 50 distinct numbers that count up without a gap', async () => {
    const accepted = await Promise.all(
      Array.from({ length: 50 }, () => stack.submit(referralBody('municipality'), MUNICIPALITY)),
    );
    expect(accepted.map((response) => response.status)).toEqual(Array(50).fill(202));
    const references = await Promise.all(
      accepted.map(
        async (response) => (await stack.getReferral(response.body.referralId, MUNICIPALITY)).body.reference,
      ),
    );
    const year = swedishDateOf(new Date()).slice(0, 4);
    const numbers = references.map((reference: string) => {
      const match = REFERENCE.exec(reference);
      expect(match?.[1]).toBe(year);
      return Number(match?.[2]);
    });
    expect(new Set(numbers).size).toBe(50);
    const sorted = [...numbers].sort((a, b) => a - b);
    expect(sorted.at(-1)! - sorted[0]!).toBe(49);
  });

  it('stands in every view, list item and queue message of the case', async () => {
    const accepted = await stack.submit(referralBody('municipality'), MUNICIPALITY);
    const view = referralViewSchema.parse(
      (await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY)).body,
    );
    expect(view.reference).toMatch(REFERENCE);

    const whole = caseViewSchema.parse((await stack.getCase(view.caseId, LABOUR)).body);
    expect(whole.reference).toBe(view.reference);
    const list = workListSchema.parse(
      (await stack.listCases(LABOUR, { team: 'labour-market-unit', limit: '100' })).body,
    );
    expect(list.items.find((item) => item.caseId === view.caseId)?.reference).toBe(view.reference);
    const referrals = referralListSchema.parse(
      (
        await stack.call('list-referrals', {
          resource: '/referrals',
          groups: MUNICIPALITY,
          query: { limit: '5' },
        })
      ).body,
    );
    expect(referrals.items.find((item) => item.caseId === view.caseId)).toMatchObject({
      reference: view.reference,
      person: { givenName: 'Anna', familyName: 'Exempel' },
    });
    const [message] = await stack.messagesFor('labour-market-unit', view.caseId);
    expect(teamMessageSchema.parse(message).reference).toBe(view.reference);
  });
});

describe('search', () => {
  const EMPLOYMENT_TEAM = ['team-employment-service'];
  const FRONT_DESK = ['team-front-desk'];
  const EMPLOYMENT = ['agency-employment-service'];
  let personalIdentityNumber: string;
  let caseId: string;
  let reference: string;

  beforeAll(async () => {
    personalIdentityNumber = uniqueIdentityNumber();
    const accepted = await stack.submit(
      referralBody('municipality', {
        person: { personalIdentityNumber, givenName: 'Söka', familyName: 'Åkesson' },
      }),
      MUNICIPALITY,
    );
    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
    caseId = view.body.caseId;
    reference = view.body.reference;
  });

  const found = async (groups: string[], query: Record<string, string>) => {
    const response = await stack.listCases(groups, query);
    expect(response.status).toBe(200);
    return workListSchema.parse(response.body).items.map((item) => item.caseId);
  };

  it('finds a case by its reference, typed in any case, for a team it is routed to', async () => {
    expect(await found(LABOUR, { q: reference })).toEqual([caseId]);
    expect(await found(LABOUR, { q: ` ${reference.toLowerCase()} ` })).toEqual([caseId]);
    expect(await found(FRONT_DESK, { q: reference })).toEqual([caseId]);
    expect(await found(['admins'], { q: reference })).toEqual([caseId]);
  });

  it('finds a case by the identity number in every accepted form, and audits the search', async () => {
    const twelve = personalIdentityNumber;
    const ten = twelve.slice(2);
    for (const form of [twelve, twelve.replace('-', ''), ten, ten.replace('-', '')])
      expect(await found(LABOUR, { q: form }), form).toEqual([caseId]);
    const audit = await stack.call('get-case-audit', {
      resource: '/cases/{caseId}/audit',
      pathParameters: { caseId },
      groups: ['admins'],
      query: { limit: '100' },
    });
    expect(audit.body.items.filter((entry: { action: string }) => entry.action === 'search')).toHaveLength(4);
  });

  it("finds names by the start of the given or family name in the caller's own work list", async () => {
    expect(await found(LABOUR, { q: 'sök' })).toContain(caseId);
    expect(await found(LABOUR, { q: 'ÅKES' })).toContain(caseId);
    expect(await found(LABOUR, { q: 'söka åk' })).toContain(caseId);
    expect(await found(LABOUR, { q: 'kesson' })).not.toContain(caseId);
    expect(await found(EMPLOYMENT_TEAM, { q: 'söka' })).not.toContain(caseId);
  });

  it('shows nothing of a case the caller may not read', async () => {
    expect(await found(EMPLOYMENT_TEAM, { q: reference })).toEqual([]);
    expect(await found(EMPLOYMENT_TEAM, { q: personalIdentityNumber })).toEqual([]);
  });

  it("searches the agency's own referrals the same way", async () => {
    const search = async (groups: string[], q: string) => {
      const response = await stack.call('list-referrals', { resource: '/referrals', groups, query: { q } });
      expect(response.status).toBe(200);
      return referralListSchema.parse(response.body).items.map((item) => item.caseId);
    };
    expect(await search(MUNICIPALITY, reference)).toEqual([caseId]);
    expect(await search(MUNICIPALITY, personalIdentityNumber.slice(2))).toEqual([caseId]);
    expect(await search(MUNICIPALITY, 'åkes')).toEqual([caseId]);
    expect(await search(EMPLOYMENT, reference)).toEqual([]);
    expect(await search(EMPLOYMENT, personalIdentityNumber)).toEqual([]);
  });
});
