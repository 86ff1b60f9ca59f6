import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import type { AgreementTerms } from '@lead/domain';
import { runCli } from '../src/cli-program';
import { type Service, startService } from './lead-service-process';

// The agreement verbs against the real service: writes through its API with a manager's token,
// reads from its DATA_DIR, and both compared with what the API answers.

type Run = { code: number; stdout: string; stderr: string };

const collector = () => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
};

const rulesTerms: AgreementTerms = {
  qualification: { mqlThreshold: 65 },
  scoring: {
    source: 'rules',
    fit: [{ rule: 'vp-title', field: 'title', containsAny: ['vp', 'head of'], points: 30 }],
    engagement: [{ rule: 'webinar', kind: 'webinar_attended', points: 20, max: 40 }],
    decayHalfLifeDays: 30,
  },
  salesResponse: {
    acceptWithinMinutes: 240,
    businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  },
  marketing: { mqlsPerMonth: 120 },
};

describe('lead-cli agreement', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-cli-agreement-'));
  const env = { DATA_DIR: dataDir };
  // a day ahead, whole seconds: approved now, in force tomorrow
  const effectiveFrom = new Date(Math.ceil(Date.now() / 1000) * 1000 + 86_400_000).toISOString();
  let service: Service;

  const cli = async (args: string[]): Promise<Run> => {
    const [stdout, stderr] = [collector(), collector()];
    const code = await runCli(args, {
      env,
      stdout: stdout.stream,
      stderr: stderr.stream,
      now: () => new Date(),
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const write = (args: string[], token: string) =>
    cli(['agreement', ...args, '--url', service.url, '--token', token]);
  const file = (name: string, content: unknown): string => {
    const path = join(dataDir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const api = async (path: string): Promise<unknown> => {
    const response = await fetch(`${service.url}${path}`, {
      headers: { authorization: 'Bearer dev-analyst' },
    });
    return response.json();
  };
  const agreementEvents = () => {
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      return db
        .prepare<[], { type: string; version: number; actor: string }>(
          "SELECT type, json_extract(data, '$.version') AS version, json_extract(metadata, '$.actor.id') AS actor FROM events WHERE stream_id = 'agreement' ORDER BY position",
        )
        .all();
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    service = await startService(dataDir);
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the founding version, approved by system and in force', async () => {
    const run = await cli(['agreement', 'list']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, rule, row, ...rest] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^version +status +in force +effective from +proposer +signed$/);
    expect(rule).toMatch(/^-+ +-+/);
    expect(row).toMatch(
      /^ +1 +approved +yes +1970-01-01T00:00:00\.000Z +system +marketing by system at .+; sales by system at .+$/,
    );
    expect(rest).toEqual([]);
  });

  it('refuses an invalid proposal with the field errors, sending nothing', async () => {
    const before = agreementEvents();
    const run = await write(
      [
        'propose',
        file('bad.json', {
          effectiveFrom: 'next week',
          terms: {
            ...rulesTerms,
            qualification: { mqlThreshold: 0 },
            remedy: { onResponseBreach: 'reassign' },
          },
          signedBy: 'me',
        }),
      ],
      'dev-marketing-manager',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: .*bad\.json is not a valid proposal \(nothing was sent\)$/);
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        '  signedBy: is not a known field',
        expect.stringMatching(/^ {2}effectiveFrom: must be an ISO-8601/),
        '  terms.qualification.mqlThreshold: must be an integer at least 1 and at most 100',
        expect.stringMatching(/^ {2}terms\.remedy\.repPool: /),
      ]),
    );
    expect(agreementEvents()).toEqual(before);

    const notJson = await write(
      ['propose', file('broken.json', '{"terms": ')],
      'dev-marketing-manager',
    );
    expect(notJson).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: .*broken\.json is not JSON/),
    });
  });

  it('requires the token of whoever acts', async () => {
    const run = await cli(['agreement', 'sign', '1', '--url', service.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("required option '--token <token>' not specified");
  });

  it('proposes and signs through the API, recording each manager as the actor', async () => {
    const proposal = file('v2.json', {
      effectiveFrom,
      terms: rulesTerms,
      note: 'rules-based scoring',
    });
    const proposed = await write(['propose', proposal], 'dev-marketing-manager');
    expect(proposed).toEqual({
      code: 0,
      stdout: `proposed agreement version 2, effective from ${effectiveFrom} once both teams sign\n`,
      stderr: '',
    });

    const rep = await write(['sign', '2'], 'dev-sales');
    expect(rep).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: HTTP 403 forbidden/),
    });

    const marketing = await write(['sign', '2', '--team', 'marketing'], 'dev-marketing-manager');
    expect(marketing.code).toBe(0);
    expect(marketing.stdout).toMatch(
      /^agreement version 2: proposed\n {2}signed for marketing by marketing_manager-dev at \S+\n$/,
    );
    const sales = await write(['sign', '2', '--format', 'json'], 'dev-sales-manager');
    expect(JSON.parse(sales.stdout)).toMatchObject({
      version: 2,
      status: 'approved',
      signatures: [
        { team: 'marketing', actor: 'marketing_manager-dev' },
        { team: 'sales', actor: 'sales_manager-dev' },
      ],
    });
    expect(agreementEvents().filter((event) => event.version === 2)).toEqual([
      { type: 'AgreementProposed', version: 2, actor: 'marketing_manager-dev' },
      { type: 'AgreementSigned', version: 2, actor: 'marketing_manager-dev' },
      { type: 'AgreementSigned', version: 2, actor: 'sales_manager-dev' },
    ]);
  });

  it('shows the version in force now, at a time, or by number, as the API answers it', async () => {
    const now = await cli(['agreement', 'show']);
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(/^agreement version 1 \(approved, in force now\)\n/);
    expect(now.stdout).toContain('\nterms\n  qualification.mqlThreshold: 60\n');

    const then = await cli(['agreement', 'show', '--at', effectiveFrom]);
    expect(then.stdout.split('\n').slice(0, 5)).toEqual([
      `agreement version 2 (approved), the version in force at ${effectiveFrom}`,
      `effective from  ${effectiveFrom}`,
      expect.stringMatching(/^proposed {8}\S+ by marketing_manager-dev$/),
      'note            rules-based scoring',
      expect.stringMatching(
        /^signed {10}marketing by marketing_manager-dev at \S+; sales by sales_manager-dev at \S+$/,
      ),
    ]);
    expect(then.stdout).toContain(
      '  scoring.fit[vp-title]: {"rule":"vp-title","field":"title","containsAny":["vp","head of"],"points":30}\n',
    );

    const json = await cli(['agreement', 'show', '2', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(await api('/agreements/2'));
    const list = await cli(['agreement', 'list', '--format', 'json']);
    expect(JSON.parse(list.stdout)).toEqual(await api('/agreements'));
  });

  it('diffs the terms of two versions, path by path', async () => {
    const run = await cli(['agreement', 'diff', '1', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual([
      'terms of agreement version 1 → 2: 11 changed',
      '  qualification.mqlThreshold: 60 → 65',
      '  scoring.source: "external" → "rules"',
      '  scoring.fit[vp-title]: (none) → {"rule":"vp-title","field":"title","containsAny":["vp","head of"],"points":30}',
    ]);
    expect(run.stdout).toContain('  marketing.mqlsPerMonth: 100 → 120\n');
    expect((await cli(['agreement', 'diff', '2', '2'])).stdout).toBe(
      'terms of agreement version 2 → 2: no change\n',
    );
  });

  it('withdraws a proposal, and refuses to withdraw an approved version', async () => {
    const proposal = file('v3.json', {
      effectiveFrom,
      terms: { ...rulesTerms, marketing: { mqlsPerMonth: 150 } },
    });
    expect((await write(['propose', proposal], 'dev-sales-manager')).code).toBe(0);
    const withdrawn = await write(
      ['withdraw', '3', '--reason', 'too ambitious'],
      'dev-marketing-manager',
    );
    expect(withdrawn).toMatchObject({ code: 0, stdout: 'agreement version 3: withdrawn\n' });
    const approved = await write(
      ['withdraw', '2', '--reason', 'changed our minds'],
      'dev-marketing-manager',
    );
    expect(approved).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: HTTP 409 agreement_approved: /),
    });
    const list = JSON.parse((await cli(['agreement', 'list', '--format', 'json'])).stdout) as {
      items: { version: number; status: string; withdrawal?: { reason: string } }[];
    };
    expect(list.items.map(({ version, status }) => [version, status])).toEqual([
      [1, 'approved'],
      [2, 'approved'],
      [3, 'withdrawn'],
    ]);
    expect(list.items[2].withdrawal?.reason).toBe('too ambitious');
  });

  it('refuses an unknown version and a malformed one', async () => {
    expect(await cli(['agreement', 'show', '9'])).toMatchObject({
      code: 1,
      stderr: 'error: agreement version 9 does not exist (the latest is 3)\n',
    });
    const malformed = await cli(['agreement', 'diff', '1', 'two']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('must be a version number');
  });
});
