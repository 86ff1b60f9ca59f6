import { leadStream } from '@lead/domain';
import type { ChainVerdict, RecordedEvent } from '@lead/event-store';
import { type TestApp, type TestRole, captureBody, startTestApp, tokens } from '../test-app';
import { type JsonResponse, closeClientSockets, sendJson } from './json-client';
import { checkLeadLog } from './lead-log-checks';
import { seededRandom } from './seeded-random';

// Many clients on the same few leads, over real sockets against one in-process app: with If-Match
// exactly one write wins per revision; without it valid commands are re-read and re-decided and
// all succeed, invalid ones get the domain's 409; every lead's log stays a legal sequence.

const seed = 4_242;
const mqlThreshold = 60;

type Call = {
  role: TestRole;
  path: string;
  body?: object;
  ifMatch?: number;
  key?: string;
  id: string;
};
type Answer = Call & { response: JsonResponse };

const revisionOf = (response: JsonResponse): number =>
  (response.body as { revision: number }).revision;
const codeOf = (response: JsonResponse): string => (response.body as { code?: string }).code ?? '';

describe('concurrency: many clients on the same leads', () => {
  let t: TestApp;
  let url = '';
  let sent = 0;
  const figures = { rounds: 0, winners: 0, conflicts: 0, retriedToSuccess: 0, domainRefusals: 0 };
  let nextId = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    closeClientSockets();
    await t.close();
    console.log(
      `concurrency: ${sent} requests; ${figures.rounds} If-Match rounds with ${figures.winners} winners and ` +
        `${figures.conflicts} revision conflicts; ${figures.retriedToSuccess} contending commands without ` +
        `If-Match all succeeded; ${figures.domainRefusals} domain refusals`,
    );
  });

  const call = async (spec: Omit<Call, 'id'>): Promise<Answer> => {
    const id = `conc-${nextId++}`;
    sent += 1;
    const response = await sendJson(`${url}${spec.path}`, {
      method: 'POST',
      body: spec.body ?? {},
      headers: {
        authorization: `Bearer ${tokens[spec.role]}`,
        'x-correlation-id': id,
        ...(spec.ifMatch === undefined ? {} : { 'if-match': `"${spec.ifMatch}"` }),
        ...(spec.key === undefined ? {} : { 'idempotency-key': spec.key }),
      },
    });
    return { ...spec, id, response };
  };
  const expectLegalLog = async (leadId: string): Promise<RecordedEvent[]> => {
    const response = await sendJson(`${url}/leads/${leadId}/history`, {
      headers: { authorization: `Bearer ${tokens.auditor}` },
    });
    expect(response.status).toBe(200);
    const { events, chain } = response.body as { events: RecordedEvent[]; chain: ChainVerdict };
    expect(chain).toEqual({ valid: true });
    expect(checkLeadLog(events, { mqlThreshold, chain }).problems).toEqual([]);
    return events;
  };
  const newLead = async (score?: number): Promise<string> => {
    const created = await call({ role: 'marketing', path: '/leads', body: captureBody() });
    expect(created.response.status).toBe(201);
    const leadId = (created.response.body as { leadId: string }).leadId;
    if (score !== undefined) {
      const scored = await call({
        role: 'marketing',
        path: `/leads/${leadId}/score`,
        body: { score },
      });
      expect(scored.response.status).toBe(200);
    }
    return leadId;
  };
  const handedOff = async (): Promise<string> => {
    const leadId = await newLead(80);
    expect(
      (
        await call({
          role: 'marketing',
          path: `/leads/${leadId}/handoff`,
          body: { toRep: 'rep-1' },
        })
      ).response.status,
    ).toBe(200);
    return leadId;
  };

  it('with If-Match exactly one write wins per revision; the others get 409 revision_conflict', async () => {
    const random = seededRandom(seed);
    const leads = [await newLead(70), await newLead(70), await newLead(70)];
    const revisions = new Map(leads.map((leadId) => [leadId, 1]));
    for (let round = 0; round < 6; round++) {
      // every lead at once, eight clients per lead, all claiming the revision they last saw
      const answers = await Promise.all(
        leads.flatMap((leadId) =>
          Array.from({ length: 8 }, () =>
            random.chance(0.5)
              ? call({
                  role: 'marketing',
                  path: `/leads/${leadId}/score`,
                  body: { score: random.int(0, 101) },
                  ifMatch: revisions.get(leadId),
                })
              : call({
                  role: 'marketing',
                  path: `/leads/${leadId}/engagements`,
                  body: { campaignId: 'c-1', channel: 'email', kind: 'email_click' },
                  ifMatch: revisions.get(leadId),
                }),
          ),
        ),
      );
      for (const leadId of leads) {
        const mine = answers.filter((answer) => answer.path.startsWith(`/leads/${leadId}/`));
        const winners = mine.filter(({ response }) => response.status < 300);
        const losers = mine.filter(({ response }) => response.status >= 300);
        const expected = revisions.get(leadId)! + 1;
        expect(
          winners.map(({ response }) => [revisionOf(response), response.headers.etag]),
        ).toEqual([[expected, `"${expected}"`]]);
        expect(losers.map(({ response }) => [response.status, codeOf(response)])).toEqual(
          Array.from({ length: 7 }, () => [409, 'revision_conflict']),
        );
        revisions.set(leadId, expected);
        figures.rounds += 1;
        figures.winners += winners.length;
        figures.conflicts += losers.length;
      }
    }
    for (const leadId of leads) {
      const events = await expectLegalLog(leadId);
      expect(events).toHaveLength(revisions.get(leadId)! + 1);
    }
  });

  it('without If-Match every valid command succeeds: conflicting appends are re-read and re-decided', async () => {
    const leadId = await newLead(50);
    // 16 clients on one lead at once; each would conflict with the others' appends
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        index % 2 === 0
          ? call({ role: 'marketing', path: `/leads/${leadId}/score`, body: { score: 40 + index } })
          : call({
              role: 'marketing',
              path: `/leads/${leadId}/engagements`,
              body: { campaignId: 'c-2', channel: 'webinar', kind: 'webinar_attended' },
            }),
      ),
    );
    const failed = answers.filter(({ response }) => response.status >= 300);
    if (failed.length > 0) {
      throw new Error(
        `DESIGN §9 says concurrent valid commands without If-Match all succeed, but ${failed.length} of 16 ` +
          `failed: ${failed.map(({ response }) => `${response.status} ${codeOf(response)}`).join(', ')}. ` +
          `handleCommand retries a revision conflict only maxAttempts (5) times, and with group commit ` +
          `exactly one contender wins per flush, so the k-th of n concurrent commands needs k attempts.`,
      );
    }
    // each got its own revision: 2..17 after capture and the first score
    expect(answers.map(({ response }) => revisionOf(response)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, index) => index + 2),
    );
    figures.retriedToSuccess += answers.length;
    const events = await expectLegalLog(leadId);
    expect(events).toHaveLength(18);
    // previousScore chains through the scores in the order they were appended
    const scores = events.filter((event) => event.type === 'LeadScored').map((event) => event.data);
    scores
      .slice(1)
      .forEach((scored, index) => expect(scored.previousScore).toBe(scores[index].score));
  });

  it('without If-Match exactly one competing transition wins; the rest get the domain 409', async () => {
    // accept vs reject on a handed-off lead
    const first = await handedOff();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        index % 2 === 0
          ? call({ role: 'sales', path: `/leads/${first}/accept` })
          : call({ role: 'sales', path: `/leads/${first}/reject`, body: { reason: 'not_ready' } }),
      ),
    );
    expect(responses.filter(({ response }) => response.status === 200)).toHaveLength(1);
    expect(
      responses
        .filter(({ response }) => response.status !== 200)
        .map(({ response }) => [response.status, codeOf(response)]),
    ).toEqual(Array.from({ length: 7 }, () => [409, 'invalid_transition']));
    figures.domainRefusals += 7;

    // several hand-offs of one qualified lead
    const second = await newLead(90);
    const handoffs = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        call({
          role: 'marketing',
          path: `/leads/${second}/handoff`,
          body: { toRep: `rep-${index}` },
        }),
      ),
    );
    expect(handoffs.filter(({ response }) => response.status === 200)).toHaveLength(1);
    expect(
      handoffs
        .filter(({ response }) => response.status !== 200)
        .map(({ response }) => codeOf(response)),
    ).toEqual(Array.from({ length: 5 }, () => 'invalid_transition'));
    figures.domainRefusals += 5;

    // convert vs lose on an accepted lead: exactly one closes it
    const third = await handedOff();
    expect((await call({ role: 'sales', path: `/leads/${third}/accept` })).response.status).toBe(
      200,
    );
    const closing = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        index % 2 === 0
          ? call({
              role: 'sales',
              path: `/leads/${third}/convert`,
              body: { amount: 1_000 + index, currency: 'EUR' },
            })
          : call({
              role: 'marketing',
              path: `/leads/${third}/lose`,
              body: { reason: 'no_budget' },
            }),
      ),
    );
    expect(closing.filter(({ response }) => response.status === 200)).toHaveLength(1);
    expect(
      closing
        .filter(({ response }) => response.status !== 200)
        .map(({ response }) => codeOf(response)),
    ).toEqual(Array.from({ length: 5 }, () => 'lead_closed'));
    figures.domainRefusals += 5;

    for (const leadId of [first, second, third]) {
      const events = await expectLegalLog(leadId);
      expect(events.at(-1)?.revision).toBe(events.length - 1);
    }
  });

  it('a seeded free-for-all of clients, stale If-Match and retried keys leaves every lead legal', async () => {
    const random = seededRandom(seed + 1);
    const leads = [await newLead(65), await newLead(30), await handedOff(), await newLead()];
    const lastSeen = new Map(leads.map((leadId) => [leadId, 0]));
    const acknowledged: Answer[] = [];
    const refused: Answer[] = [];
    const client = async (index: number): Promise<void> => {
      for (let n = 0; n < 12; n++) {
        const leadId = random.pick(leads);
        const at = `/leads/${leadId}`;
        const spec = random.pick<Omit<Call, 'id' | 'ifMatch' | 'key'>>([
          {
            role: 'marketing',
            path: `${at}/engagements`,
            body: { campaignId: 'c-3', channel: 'email', kind: 'email_open' },
          },
          { role: 'marketing', path: `${at}/score`, body: { score: random.int(0, 101) } },
          {
            role: 'marketing',
            path: `${at}/handoff`,
            body: { toRep: 'rep-9', override: { reason: 'ok' } },
          },
          { role: 'sales', path: `${at}/accept` },
          { role: 'sales', path: `${at}/reject`, body: { reason: 'not_icp' } },
          { role: 'sales', path: `${at}/convert`, body: { amount: 5_000, currency: 'USD' } },
          { role: 'sales', path: `${at}/lose`, body: { reason: 'timing' } },
        ]);
        const ifMatch = random.chance(0.3) ? lastSeen.get(leadId) : undefined;
        // a small key space, so some requests are retries of earlier ones
        const key = random.chance(0.3) ? `client-${index}-key-${random.int(0, 4)}` : undefined;
        const answer = await call({ ...spec, ifMatch, key });
        if (answer.response.status < 300) {
          acknowledged.push(answer);
          lastSeen.set(leadId, Math.max(lastSeen.get(leadId)!, revisionOf(answer.response)));
        } else refused.push(answer);
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, index) => client(index)));

    expect(refused.filter(({ response }) => response.status !== 409)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(10);
    figures.domainRefusals += refused.filter(
      ({ response }) => codeOf(response) !== 'revision_conflict',
    ).length;
    figures.conflicts += refused.filter(
      ({ response }) => codeOf(response) === 'revision_conflict',
    ).length;
    const logs = new Map<string, RecordedEvent[]>();
    for (const leadId of leads) logs.set(leadId, await expectLegalLog(leadId));
    // every acknowledged command is the event at the revision it was told, and no refused one is stored
    for (const answer of acknowledged) {
      const leadId = answer.path.split('/')[2];
      const event = logs.get(leadId)![revisionOf(answer.response)];
      expect(event.streamId).toBe(leadStream(leadId));
      // a replayed key answers with the first request's event, stored under that request's id
      if (answer.key === undefined) expect(event.metadata.correlationId).toBe(answer.id);
    }
    const stored = new Set([...logs.values()].flat().map((event) => event.metadata.correlationId));
    for (const answer of refused) expect(stored.has(answer.id)).toBe(false);
  });
});
