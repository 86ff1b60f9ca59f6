// Converts a HubSpot-style contacts CSV export into POST /imports lines (README "Bulk import").
//   node docs/examples/hubspot-to-ndjson.mjs docs/examples/hubspot-contacts.csv > leads.ndjson
// Each contact becomes a capture, then the steps its Lifecycle Stage implies. Lead ids and
// idempotency keys derive from the Record ID, so converting and importing again appends nothing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// RFC 4180 fields: quoted fields may hold commas, quotes ("") and newlines.
const parseCsv = (text) => {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rows.at(-1).push(field), (field = '');
    else if (c === '\n') rows.at(-1).push(field.replace(/\r$/, '')), (field = ''), rows.push([]);
    else field += c;
  }
  if (field !== '' || rows.at(-1).length > 0) rows.at(-1).push(field);
  const [header, ...records] = rows.filter((row) => row.some((value) => value !== ''));
  return records.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
};

// A name-based (v5-style) UUID, so one Record ID is always the same lead.
const leadId = (recordId) => {
  const hex = createHash('sha1').update(`hubspot:${recordId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const slug = (text) => text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'unknown';
// HubSpot exports local times without a zone; this example reads them as UTC.
const at = (createDate, minutesLater) =>
  new Date(Date.parse(`${createDate.replace(' ', 'T')}Z`) + minutesLater * 60_000).toISOString();

// How far each lifecycle stage got, in our commands.
const stepsByStage = {
  subscriber: 0,
  lead: 0,
  marketingqualifiedlead: 1,
  salesqualifiedlead: 2,
  opportunity: 3,
  customer: 4,
};

const [file] = process.argv.slice(2);
for (const row of parseCsv(readFileSync(file, 'utf8'))) {
  const id = leadId(row['Record ID']);
  const when = (minutes) => at(row['Create Date'], minutes);
  const line = (command, step, body, onBehalfOf) =>
    console.log(
      JSON.stringify({
        command,
        leadId: id,
        idempotencyKey: `hubspot-${row['Record ID']}-${step}`,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        body,
      }),
    );
  const channel = slug(row['Original Source']);
  const name = `${row['First Name']} ${row['Last Name']}`.trim();
  line('capture', 'capture', {
    email: row.Email,
    ...(name ? { name } : {}),
    ...(row['Company Name'] ? { company: row['Company Name'] } : {}),
    source: { campaignId: `hubspot-${channel.replace(/_/g, '-')}`, channel },
    occurredAt: when(0),
  });
  const stage = row['Lifecycle Stage'].toLowerCase();
  const reached = stepsByStage[stage];
  const owner = row['HubSpot Owner'] || 'unassigned';
  const rep = { id: owner, role: 'sales' };
  if (reached === undefined) line('lose', 'lose', { reason: slug(stage), occurredAt: when(1) });
  if (reached >= 1) line('score', 'score', { score: 80, model: 'hubspot-lifecycle', occurredAt: when(1) });
  if (reached >= 2) line('handoff', 'handoff', { toRep: owner, occurredAt: when(2) });
  if (reached >= 3) line('accept', 'accept', { occurredAt: when(3) }, rep);
  if (reached >= 4 && row.Amount)
    line('convert', 'convert', { amount: Number(row.Amount), currency: 'USD', occurredAt: when(4) }, rep);
}
