import { caseEventSchema } from '../cases/case-event-schema.js';
import { followUpSchema } from '../cases/follow-ups.js';
import { noteInputSchema, noteSchema } from '../cases/note-schema.js';
import {
  auditListSchema,
  caseEventResultSchema,
  caseViewSchema,
  teamMessageSchema,
  workListSchema,
} from '../cases/schemas.js';
import { DEFAULT_DEPLOYMENT } from '../config/deployment.js';
import { apiScopes, contractGroups, STAFF_SCOPE } from '../http/caller.js';
import { referralInputSchema } from '../referrals/schema.js';
import {
  problemSchema,
  referralAcceptedSchema,
  referralListSchema,
  referralViewSchema,
} from '../referrals/views.js';
import { DIMENSIONS, INDICATORS, STEPS } from '../stats/indicators.js';
import { INTERVALS } from '../stats/query.js';
import {
  equityAnswerSchema,
  followUpResultSchema,
  indicatorCatalogueSchema,
  statsAnswerSchema,
} from '../stats/schemas.js';
import * as z from '../zod.js';

/**
 * The problem every error answers with. Errors API Gateway makes itself (a refused token, throttling,
 * a failed integration: infra/constructs/api.ts, and the local runtime's gateway alike) also carry its
 * request id, to quote when asking about one.
 */
const apiProblemSchema = z.extend(problemSchema, {
  requestId: z.withMeta(z.optional(z.string()), {
    description: 'API Gateway’s request id, on the errors the gateway makes itself.',
  }),
});

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with, so that
 * agency systems can integrate without reading our code and the document cannot drift from the code.
 */
export const COMPONENT_SCHEMAS = {
  ReferralInput: { schema: referralInputSchema, io: 'input' },
  ReferralAccepted: { schema: referralAcceptedSchema, io: 'output' },
  Referral: { schema: referralViewSchema, io: 'output' },
  ReferralList: { schema: referralListSchema, io: 'output' },
  Problem: { schema: apiProblemSchema, io: 'output' },
  CaseEventInput: { schema: caseEventSchema, io: 'input' },
  CaseEventResult: { schema: caseEventResultSchema, io: 'output' },
  Case: { schema: caseViewSchema, io: 'output' },
  WorkList: { schema: workListSchema, io: 'output' },
  AuditTrail: { schema: auditListSchema, io: 'output' },
  CaseNoteInput: { schema: noteInputSchema, io: 'input' },
  CaseNote: { schema: noteSchema, io: 'output' },
  FollowUpInput: { schema: followUpSchema, io: 'input' },
  FollowUp: { schema: followUpResultSchema, io: 'output' },
  Statistics: { schema: statsAnswerSchema, io: 'output' },
  IndicatorCatalogue: { schema: indicatorCatalogueSchema, io: 'output' },
  Equity: { schema: equityAnswerSchema, io: 'output' },
  /** Not an HTTP answer: the body of a message on a team's SQS queue (`case.routed`, `case.withdrawn`). */
  TeamMessage: { schema: teamMessageSchema, io: 'output' },
} as const;

/** JSON Schema 2020-12 (the dialect of OpenAPI 3.1) of one component, without the `$schema` line. */
export function componentSchema(name: keyof typeof COMPONENT_SCHEMAS): Record<string, unknown> {
  const { schema, io } = COMPONENT_SCHEMAS[name];
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: keyof typeof COMPONENT_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: keyof typeof COMPONENT_SCHEMAS) => ({ 'application/json': { schema: ref(name) } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
/** What API Gateway itself may answer on any route, before or instead of the function. */
const gatewayErrors = {
  '429': problem('Too many requests: the stage’s throttling. Retry later.'),
  '5XX': problem(
    'Something went wrong on our side (or the API is still starting locally). It can be retried.',
  ),
};
const errors = {
  '400': problem('The request is not valid; `errors` names each field.'),
  '401': problem('No token, or a token that is not valid.'),
  '403': problem('The caller’s role may not do this.'),
  ...gatewayErrors,
};
/** The body limits of every request with a JSON body (shared/http/http-api.ts). */
const bodyErrors = {
  '413': problem('The body is over 64 KiB.'),
  '415': problem('The body is not JSON.'),
};
/** The two public documents: no token, but the web application firewall and the gateway still answer. */
const publicErrors = {
  '403': problem(
    'Blocked by the web application firewall (for one, over its rate limit per client address).',
  ),
  ...gatewayErrors,
};

/** The scopes a system may hold: one per contract group of the default deployment (not the staff scope). */
const systemScopes = apiScopes(contractGroups(DEFAULT_DEPLOYMENT.teams)).filter(
  (scope) => scope !== STAFF_SCOPE,
);

export function openApiDocument(serverUrl = '/') {
  const schemas = Object.fromEntries(
    Object.keys(COMPONENT_SCHEMAS).map((name) => [
      name,
      componentSchema(name as keyof typeof COMPONENT_SCHEMAS),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Front Desk API',
      version: '1.0.0',
      description:
        'One way in for people far from the labour market: referrals from the municipality, the Public ' +
        'Employment Service and the Social Insurance Agency, screened by one shared ruleset and routed to ' +
        'back-office teams. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: serverUrl }],
    // Either scheme: a person signed in to the staff web app, or a system with client credentials.
    security: [{ bearer: [] }, { clientCredentials: systemScopes }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A person signed in through the Cognito hosted sign-in (authorization code with PKCE, scope ' +
            `\`${STAFF_SCOPE}\`): send the access token; its \`cognito:groups\` claim decides the role. ` +
            'Locally: `POST /local/login`.',
        },
        clientCredentials: {
          type: 'oauth2',
          description:
            'An agency’s or a team’s own system (OAuth 2.0 client credentials). The app client an ' +
            'administrator registers (`npm run client:add`) carries one scope `frontdesk/<group>`, which ' +
            'gives exactly the rights of that group; its `client_id` is the actor in audit trails. The ' +
            'token endpoint is the deployment’s Cognito domain, `https://<HostedUiUrl host>/oauth2/token` ' +
            '(the URL below is the default deployment’s); locally `POST /local/oauth2/token` with the demo ' +
            'clients of `GET /local/users`. Send the access token as a bearer token.',
          flows: {
            clientCredentials: {
              tokenUrl: 'https://frontdesk-2262.auth.eu-north-1.amazoncognito.com/oauth2/token',
              scopes: Object.fromEntries(
                systemScopes.map((scope) => [
                  scope,
                  `The rights of group ${scope.slice('frontdesk/'.length)}`,
                ]),
              ),
            },
          },
        },
      },
      schemas,
    },
    paths: {
      '/health': {
        get: {
          operationId: 'getHealth',
          security: [],
          summary: 'Liveness',
          responses: {
            '200': {
              description: 'The API answers.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { status: { const: 'ok' } },
                    required: ['status'],
                    additionalProperties: false,
                  },
                },
              },
            },
            ...publicErrors,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          security: [],
          summary: 'This document',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
                      info: { type: 'object' },
                      paths: { type: 'object' },
                    },
                    required: ['openapi', 'info', 'paths'],
                  },
                },
              },
            },
            ...publicErrors,
          },
        },
      },
      '/referrals': {
        post: {
          operationId: 'submitReferral',
          summary: 'Submit a referral',
          description:
            'Required per agency in `situation`: municipality → financialAssistanceMonths; employment-service → ' +
            'unemployedMonths, jobAndDevelopmentGuarantee; social-insurance → sickLeaveMonths, compensation. ' +
            'The referring agency comes from the token. A person with an open case joins it.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x20-\\x7e]+$' },
              description: 'The same key and body return the first answer again; another body gets 409.',
            },
          ],
          requestBody: { required: true, content: jsonContent('ReferralInput') },
          responses: {
            '202': {
              description: 'Accepted: stored, and on its way to screening.',
              headers: { Location: { schema: { type: 'string' } } },
              content: jsonContent('ReferralAccepted'),
            },
            ...errors,
            '409': problem('The Idempotency-Key was used with another body.'),
            ...bodyErrors,
          },
        },
        get: {
          operationId: 'listReferrals',
          summary: "The caller's agency's referrals, newest first",
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            {
              name: 'agency',
              in: 'query',
              schema: { type: 'string' },
              description: 'Admins only: whose referrals to list.',
            },
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED'] },
              description:
                'Only referrals whose case has this status (filters each page: a page may be short).',
            },
            {
              name: 'q',
              in: 'query',
              schema: { type: 'string', minLength: 1, maxLength: 100 },
              description:
                'Search: a case reference (FD-2026-00042) or a personal identity number in any accepted form gives the agency’s referrals on that case (a search by number is audited); other text matches the start of the person’s given or family name. One page, no cursor.',
            },
          ],
          responses: { '200': { description: 'A page', content: jsonContent('ReferralList') }, ...errors },
        },
      },
      '/cases': {
        get: {
          operationId: 'listCases',
          summary: "A team's work list: highest priority and oldest first (closed work: newest first)",
          description: 'No identity numbers in list items. Members of the team, the front desk and admins.',
          parameters: [
            {
              name: 'team',
              in: 'query',
              schema: { type: 'string' },
              description: 'Defaults to the caller’s only team.',
            },
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED', 'DECLINED'] },
              description:
                "The team's own view of each case; RECEIVED cases are on no team's list yet; DECLINED: the cases the team declined, newest first.",
            },
            {
              name: 'overdue',
              in: 'query',
              schema: { type: 'string', enum: ['true', 'false'] },
              description:
                '`true`: the cases the team has not accepted by its service level (`dueAt` passed).',
            },
            {
              name: 'targetGroup',
              in: 'query',
              schema: { type: 'string' },
              description:
                'Only cases in this target group (a restricted team gets nothing for a group it may not see).',
            },
            {
              name: 'sort',
              in: 'query',
              schema: { type: 'string', enum: ['priority', 'waiting', 'reference'], default: 'priority' },
              description:
                'priority: highest first, then oldest (paged); waiting: longest waiting first; reference: by reference (these two: one page of at most 1,000 read entries, no cursor).',
            },
            {
              name: 'q',
              in: 'query',
              schema: { type: 'string', minLength: 1, maxLength: 100 },
              description:
                'Search: a case reference (FD-2026-00042) or a personal identity number in any accepted form finds exactly that case among those the caller may read (a search by number is written to the case’s audit trail); other text matches the start of given or family names in the team’s own work list. One page, no cursor.',
            },
            {
              name: 'assignee',
              in: 'query',
              schema: { type: 'string' },
              description: '`me`: the caller’s own cases in the team’s list (or a colleague’s user id).',
            },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'A page', content: jsonContent('WorkList') }, ...errors },
        },
      },
      '/cases/{caseId}': {
        get: {
          operationId: 'getCase',
          summary:
            'The whole case for a team it is routed to, the front desk and admins; every read is audited',
          description:
            'Restricted teams (non-profit partners) get the minimum: no identity number, no health information.',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The case', content: jsonContent('Case') },
            ...errors,
            '404': problem('Not found, or not routed to you.'),
          },
        },
      },
      '/cases/{caseId}/events': {
        post: {
          operationId: 'postCaseEvent',
          summary:
            "A team's step: accepted, declined (reason), intervention-started, closed (outcome), or assigned (assignee: me or a user id)",
          parameters: [
            { name: 'caseId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 1, maxLength: 128 },
              description: 'A retried request with the same key answers the first answer again.',
            },
          ],
          requestBody: { required: true, content: jsonContent('CaseEventInput') },
          responses: {
            '200': { description: 'Recorded', content: jsonContent('CaseEventResult') },
            ...errors,
            '404': problem('Not found, or not routed to you.'),
            '409': problem('Not allowed from the team’s current state, or the case changed.'),
            ...bodyErrors,
          },
        },
      },
      '/cases/{caseId}/notes': {
        post: {
          operationId: 'addCaseNote',
          summary: "A dated note in the team's journal of the case",
          description:
            'Members of a team the case is routed to (or of the front desk). Seen by that team, the front desk and admins; never by the referrer.',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: jsonContent('CaseNoteInput') },
          responses: {
            '201': { description: 'Added', content: jsonContent('CaseNote') },
            ...errors,
            '404': problem('Not found, or not routed to the team.'),
            ...bodyErrors,
          },
        },
      },
      '/cases/{caseId}/follow-ups': {
        post: {
          operationId: 'addFollowUp',
          summary: "A TG4 case's 6- or 12-month follow-up: was the person self-sufficient?",
          description:
            'Members of a team that holds the case (or of the front desk). 409 before the milestone (6 or 12 calendar months after the intervention started), for a case outside TG4 or without an intervention, or when another answer is recorded; the same answer again is 200.',
          parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: jsonContent('FollowUpInput') },
          responses: {
            '201': { description: 'Recorded', content: jsonContent('FollowUp') },
            '200': { description: 'Already recorded with the same answer', content: jsonContent('FollowUp') },
            ...errors,
            '404': problem('Not found, or not routed to your team.'),
            '409': problem(
              'Not yet due, not a TG4 case, no intervention started, or already recorded otherwise.',
            ),
            ...bodyErrors,
          },
        },
      },
      '/stats': {
        get: {
          operationId: 'getStatistics',
          summary: 'One indicator by period and up to two dimensions, small numbers suppressed',
          description:
            'Admins, the front desk and the steering group read everything; a team reads its own team’s figures (`team` implied); agencies get 403. Every read is audited. `Accept: text/csv` or `format=csv` answers CSV (`dialect=excel-sv`: BOM, `;`, decimal commas). Counts of 1–4, and shares or medians resting on fewer than 5, are suppressed, and so is the next smallest figure where subtraction would reveal one. Figures never carry an identity number, a name, a case id or a referral id.',
          parameters: [
            {
              name: 'indicator',
              in: 'query',
              required: true,
              schema: { type: 'string', enum: INDICATORS.map((indicator) => indicator.id) },
              description: 'GET /stats/indicators defines each.',
            },
            {
              name: 'from',
              in: 'query',
              schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
              description: 'YYYY-MM, Swedish time; default the current month.',
            },
            {
              name: 'to',
              in: 'query',
              schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
              description: 'YYYY-MM; at most 36 months after from.',
            },
            {
              name: 'interval',
              in: 'query',
              schema: { type: 'string', enum: [...INTERVALS], default: 'month' },
            },
            {
              name: 'groupBy',
              in: 'query',
              schema: { type: 'string' },
              description: `At most two of ${DIMENSIONS.join(', ')}, comma-separated.`,
            },
            {
              name: 'step',
              in: 'query',
              schema: { type: 'string', enum: [...STEPS], default: 'accepted' },
              description: 'lead-time only.',
            },
            ...DIMENSIONS.map((dimension) => ({
              name: dimension,
              in: 'query',
              schema: { type: 'string' },
              description: `Only figures with this ${dimension}.`,
            })),
            { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
            {
              name: 'dialect',
              in: 'query',
              schema: { type: 'string', enum: ['standard', 'excel-sv'], default: 'standard' },
            },
          ],
          responses: {
            '200': {
              description: 'The figures',
              content: {
                ...jsonContent('Statistics'),
                'text/csv': {
                  schema: { type: 'string' },
                  example:
                    'period,gender,value,n,suppressed\r\n2026-11,women,12,12,false\r\n2026-11,men,<5,,true\r\n',
                },
              },
            },
            ...errors,
          },
        },
      },
      '/stats/indicators': {
        get: {
          operationId: 'listIndicators',
          summary: 'The indicators: Swedish and English names, definitions, units, dimensions and targets',
          responses: {
            '200': { description: 'The catalogue', content: jsonContent('IndicatorCatalogue') },
            ...errors,
          },
        },
      },
      '/stats/equity': {
        get: {
          operationId: 'getEquity',
          summary: 'Women and men, and age bands, compared per ruleset version',
          description:
            'Eligible share, high-priority share (of the eligible), median days to accepted, declined share and work-or-studies share, each with both groups’ values, the gap and the ratio; suppressed as GET /stats.',
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
            { name: 'to', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
            {
              name: 'team',
              in: 'query',
              schema: { type: 'string' },
              description: 'One team’s figures (a team reads only its own).',
            },
          ],
          responses: { '200': { description: 'The comparison', content: jsonContent('Equity') }, ...errors },
        },
      },
      '/cases/{caseId}/audit': {
        get: {
          operationId: 'getCaseAudit',
          summary: 'Who read or changed the case, when, in which role (admins only)',
          parameters: [
            { name: 'caseId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The audit trail, oldest first', content: jsonContent('AuditTrail') },
            ...errors,
            '404': problem('No such case.'),
          },
        },
      },
      '/referrals/{referralId}': {
        get: {
          operationId: 'getReferral',
          summary: 'A referral, its case status, screening and history (closed loop)',
          parameters: [
            { name: 'referralId', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              schema: { type: 'string' },
              description:
                'The ETag of the copy the client has: 304 while it is current (not audited; for polling).',
            },
          ],
          responses: {
            '200': {
              description: 'The referral',
              headers: { ETag: { description: 'Send back as If-None-Match.', schema: { type: 'string' } } },
              content: jsonContent('Referral'),
            },
            '304': {
              description: 'Not modified: the copy named by If-None-Match is current.',
              headers: { ETag: { description: 'The same ETag.', schema: { type: 'string' } } },
            },
            ...errors,
            '404': problem('Not found, or not yours.'),
          },
        },
      },
    },
  };
}
