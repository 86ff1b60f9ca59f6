import { validationPipe } from '../../http/validation';
import { CaptureLeadCommand } from '../../leads/capture-lead/capture-lead.command';
import { ImportLineError, parseImportLine } from './import-line';

const context = { actor: { id: 'admin-1', role: 'admin' }, correlationId: 'corr-1' };
const leadId = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e';
const capture = {
  command: 'capture',
  leadId,
  idempotencyKey: 'crm-1',
  body: {
    email: 'ada@example.com',
    source: { campaignId: 'spring', channel: 'webinar' },
    occurredAt: '2025-03-01T09:00:00Z',
  },
};
const refusal = async (line: object) => {
  const error = await parseImportLine(JSON.stringify(line), context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportLineError);
  return { code: (error as ImportLineError).code, detail: (error as ImportLineError).detail };
};

describe('parseImportLine', () => {
  afterEach(() => jest.restoreAllMocks());

  it('validates a plain envelope by hand and only its body with the request class', async () => {
    const pipe = jest.spyOn(validationPipe, 'transform');

    const { command } = await parseImportLine(JSON.stringify(capture), context);

    expect(command).toBeInstanceOf(CaptureLeadCommand);
    expect(pipe).toHaveBeenCalledTimes(1);
  });

  it('checks a plain onBehalfOf by hand too, and passes it on', async () => {
    const pipe = jest.spyOn(validationPipe, 'transform');
    const { command } = await parseImportLine(
      JSON.stringify({ ...capture, onBehalfOf: { id: 'rep-ana', role: 'sales' } }),
      context,
    );
    expect(pipe).toHaveBeenCalledTimes(1);
    expect((command as CaptureLeadCommand).context.onBehalfOf).toEqual({
      id: 'rep-ana',
      role: 'sales',
    });
  });

  it('refuses an envelope the hand check does not pass with the refusal of the ImportLine class', async () => {
    expect(await refusal({ ...capture, extra: 1 })).toEqual({
      code: 'validation_failed',
      detail: 'extra: property extra should not exist',
    });
    expect(await refusal({ ...capture, idempotencyKey: 'has space' })).toEqual({
      code: 'validation_failed',
      detail: 'idempotencyKey: idempotencyKey must be 1-255 visible ASCII characters',
    });
    expect(await refusal({ ...capture, body: [] })).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringContaining('body'),
    });
    expect(await refusal({ ...capture, onBehalfOf: { id: 'rep-ana', role: 'boss' } })).toEqual({
      code: 'validation_failed',
      detail: expect.stringContaining('onBehalfOf.role'),
    });
    expect(
      await refusal({ ...capture, onBehalfOf: { id: 'rep-ana', role: 'sales', x: 1 } }),
    ).toEqual({ code: 'validation_failed', detail: 'onBehalfOf.x: property x should not exist' });
    expect(await refusal({ ...capture, leadId: 7 })).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringContaining('leadId must be a string'),
    });
  });

  it('refuses a line nested too deep, counting the envelope', async () => {
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 31; i++) body = { nested: body };
    expect(await refusal({ ...capture, body })).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringContaining('nested deeper'),
    });
  });
});
