import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, TestClock, bearer, captureBody, startTestApp } from './test-app';

// The as-of workers' snapshots, through HTTP: the same as-of questions answered by replays from
// position 0 (snapshots off) and from snapshots every 4 lead events give the same bytes, and an
// erasure deletes the snapshots read before it.
describe('as-of answers from snapshots', () => {
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  let t: TestApp;
  let dataDir = '';
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const start = async (snapshotEvery: string) => {
    t = await startTestApp({
      // the first start makes a fresh one; the others reopen it
      dataDir: dataDir || undefined,
      clock,
      env: { ASOF_SNAPSHOT_EVERY: snapshotEvery },
    });
    dataDir = t.dataDir;
  };
  let head = 0;
  const post = async (url: string, role: Parameters<typeof bearer>[0], body: object = {}) => {
    clock.advanceMinutes(7);
    const response = await t.http.post(url).set(bearer(role)).send(body);
    expect(response.status).toBeLessThan(300);
    const answer = response.body as { leadId: string; position: string };
    head = Math.max(head, Number(answer.position));
    return answer;
  };
  const questions = [
    '/attribution?model=w_shaped&groupBy=campaign',
    '/attribution?model=linear&groupBy=channel',
    '/sla/handoffs',
    '/funnel',
  ];
  // every question at every position, in a mixed order (later points find snapshots both
  // behind and ahead of them); the raw response text
  const answers = async (head: number): Promise<Record<string, string>> => {
    const answered: Record<string, string> = {};
    for (let k = 0; k < head; k++) {
      const position = ((k * 7) % head) + 1;
      for (const question of questions) {
        const url = `${question}${question.includes('?') ? '&' : '?'}asOf=position:${position}`;
        answered[url] = (await t.http.get(url).set(bearer('analyst')).expect(200)).text;
      }
    }
    return answered;
  };
  const snapshotFiles = () =>
    existsSync(join(dataDir, 'as-of-snapshots'))
      ? readdirSync(join(dataDir, 'as-of-snapshots')).filter((name) =>
          name.endsWith('.snapshot.json'),
        )
      : [];

  it('are byte-identical to replays from 0, before and after an erasure', async () => {
    await start('0');
    const leads: string[] = [];
    for (let n = 0; n < 6; n++) {
      const { leadId } = await post(
        '/leads',
        'marketing',
        captureBody({
          email: `lead-${n}@example.com`,
          source: { campaignId: `cmp-${n % 3}`, channel: n % 2 ? 'webinar' : 'email' },
        }),
      );
      leads.push(leadId);
      await post(`/leads/${leadId}/engagements`, 'marketing', {
        campaignId: `cmp-${(n + 1) % 3}`,
        channel: 'email',
        kind: 'email_click',
      });
      await post(`/leads/${leadId}/score`, 'marketing', { score: 80 });
    }
    for (const [n, leadId] of leads.entries()) {
      await post(`/leads/${leadId}/handoff`, 'marketing', { toRep: `rep-${n % 2}` });
      if (n % 3 === 2) continue;
      clock.advanceMinutes(60 * n);
      await post(`/leads/${leadId}/accept`, 'sales');
      await post(`/leads/${leadId}/convert`, 'sales', { amount: 1_000 * n + 99, currency: 'EUR' });
    }
    const fromZero = await answers(head);
    expect(snapshotFiles()).toEqual([]);
    await t.app.close();

    await start('4');
    expect(await answers(head)).toEqual(fromZero);
    expect(snapshotFiles().length).toBeGreaterThan(0);
    // asked again, now with snapshots everywhere
    expect(await answers(head)).toEqual(fromZero);

    await post(`/leads/${leads[1]}/erase`, 'admin');
    expect(snapshotFiles()).toEqual([]);
    const afterErasure = await answers(head);
    expect(snapshotFiles().length).toBeGreaterThan(0);
    await t.app.close();
    // the workers' scratch stores go with them
    const left = readdirSync(join(dataDir, 'as-of-snapshots'));
    expect(left.filter((name) => name.startsWith('scratch-'))).toEqual([]);

    await start('0');
    expect(await answers(head)).toEqual(afterErasure);
    await t.app.close();
  }, 120_000);
});
