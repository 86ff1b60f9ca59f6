// Lead lifecycle dashboard: a static page over the public HTTP API (same origin, bearer token).
// No framework and no build step; Chart.js comes from /dashboard/chart.umd.js (global `Chart`).
// Every chart's numbers are also written to a table with data-* attributes, so people using
// screen readers and automated tests can read exactly what is drawn.
'use strict';

(() => {
  const tokenKey = 'lead-dashboard.token';
  const palette = ['#2563eb', '#0d9488', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#65a30d'];
  const stageNames = {
    captured: 'Captured',
    mql: 'MQL',
    handed_off: 'Handed off',
    accepted: 'Accepted',
    sql: 'SQL',
    converted: 'Converted',
  };

  const $ = (selector, root = document) => root.querySelector(selector);
  const state = {
    token: sessionStorage.getItem(tokenKey),
    model: 'linear',
    asOf: null, // ISO time, or null for the latest data
    generation: 0,
    whatIfGeneration: 0,
    agreements: null, // the last GET /agreements answer: the what-if form offers its versions
    charts: new Map(),
  };

  const fractionDigits = (currency) =>
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  // Amounts arrive as integers in minor units (cents); charts plot major units.
  const toMajor = (amount, currency) => amount / 10 ** fractionDigits(currency);
  const money = (amount, currency) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
      toMajor(amount, currency),
    );
  const count = (value) => new Intl.NumberFormat().format(value);
  const percent = (ratio) =>
    ratio === null || ratio === undefined
      ? '–'
      : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(
          ratio,
        );
  const dateTime = (iso) =>
    iso
      ? `${new Intl.DateTimeFormat(undefined, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'UTC',
        }).format(new Date(iso))} UTC`
      : '–';
  // table cells: compact and sortable; the column headers say UTC
  const shortDateTime = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '–');
  const minutes = (value) => {
    if (value === null || value === undefined) return '–';
    if (value < 60) return `${Math.round(value)} min`;
    const hours = value / 60;
    if (hours < 48) return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
    return `${(hours / 24).toFixed(1)} d`;
  };
  const complianceTone = (ratio) =>
    ratio === null ? 'neutral' : ratio >= 0.9 ? 'good' : ratio >= 0.7 ? 'warn' : 'bad';
  const toneColor = { good: '#16a34a', warn: '#d97706', bad: '#dc2626', neutral: '#94a3b8' };

  // Builds an element: el('td', { class: 'num', dataset: { amount: 5 } }, 'text', child)
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'dataset') {
        for (const [key, data] of Object.entries(value)) node.dataset[key] = String(data);
      } else if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    for (const child of children) if (child !== null) node.append(child);
    return node;
  };
  const cell = (text, attributes = {}) => el('td', attributes, text);
  const fillRows = (tbody, rows, emptyText, columns) => {
    tbody.replaceChildren(
      ...(rows.length > 0
        ? rows
        : [el('tr', {}, cell(emptyText, { colspan: columns, class: 'none' }))]),
    );
  };

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail ?? `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  const api = async (path, params) => {
    const url = new URL(path, window.location.origin);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) url.searchParams.set(key, value);
    }
    let response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `Bearer ${state.token}`, Accept: 'application/json' },
      });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'the service could not be reached' });
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  };

  // datetime-local inputs hold wall-clock text ("2026-03-04T00:00"), read as UTC
  const utcInput = (value) => {
    const time = value ? new Date(`${value}Z`) : null;
    return time && !Number.isNaN(time.getTime()) ? time.toISOString() : null;
  };

  // A panel whose endpoint this role may not call says so, and the rest of the page works on.
  const panelFailure = (error) =>
    error instanceof ApiError && error.status === 403
      ? `Not available for this role (${describeError(error)}).`
      : `Could not load: ${describeError(error)}`;

  const describeError = (error) => {
    if (!(error instanceof ApiError)) return String(error);
    const problem = error.problem ?? {};
    const prefix = error.status ? `${error.status} ${problem.title ?? ''}`.trim() : problem.title;
    return `${prefix}: ${problem.detail ?? error.message}`;
  };

  const chartFor = (id, config) => {
    const existing = state.charts.get(id);
    if (existing) {
      existing.data = config.data;
      existing.options = config.options;
      existing.update('none');
      return existing;
    }
    const chart = new window.Chart(document.getElementById(id), config);
    state.charts.set(id, chart);
    return chart;
  };

  const setEmpty = (canvasId, empty) => {
    const box = document.getElementById(canvasId).parentElement;
    $('.chart-empty', box).hidden = !empty;
  };

  const complianceChart = (id, rows) => {
    const values = rows.map((row) => (row.compliance === null ? null : row.compliance * 100));
    chartFor(id, {
      type: 'bar',
      data: {
        labels: rows.map((row) => row.key),
        datasets: [
          {
            label: 'Compliance',
            data: values,
            backgroundColor: rows.map((row) => toneColor[complianceTone(row.compliance)]),
            borderRadius: 4,
            maxBarThickness: 56,
            minBarLength: 3, // a 0% bar stays visible
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const row = rows[item.dataIndex];
                return `${percent(row.compliance)} (${row.met} met, ${row.breached} breached, ${row.open} open)`;
              },
            },
          },
        },
        scales: {
          y: { min: 0, max: 100, ticks: { callback: (value) => `${value}%` } },
          x: { grid: { display: false } },
        },
      },
    });
    setEmpty(id, rows.length === 0);
  };

  // One dataset per currency, aligned on the keys: amounts in different currencies are shown
  // side by side and never added together.
  const attributionChart = (id, report) => {
    const keys = [...new Set(report.rows.map((row) => row.key))];
    const currencies = [...new Set(report.rows.map((row) => row.currency))].sort();
    const datasets = currencies.map((currency, index) => ({
      label: currency,
      currency,
      data: keys.map((key) => {
        const row = report.rows.find((r) => r.key === key && r.currency === currency);
        return row ? toMajor(row.amount, currency) : null;
      }),
      minorUnits: keys.map((key) => {
        const row = report.rows.find((r) => r.key === key && r.currency === currency);
        return row ? row.amount : null;
      }),
      backgroundColor: palette[index % palette.length],
      borderRadius: 3,
      maxBarThickness: 22,
    }));
    chartFor(id, {
      type: 'bar',
      data: { labels: keys, datasets },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const amount = item.dataset.minorUnits[item.dataIndex];
                return amount === null
                  ? ''
                  : `${item.dataset.currency}: ${money(amount, item.dataset.currency)}`;
              },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            title: { display: true, text: 'Credited amount (in each currency)' },
            ticks: {
              callback: (value) =>
                new Intl.NumberFormat(undefined, { notation: 'compact' }).format(value),
            },
          },
          y: { grid: { display: false } },
        },
      },
    });
    setEmpty(id, report.rows.length === 0);
  };

  const funnelChart = (id, result) => {
    chartFor(id, {
      type: 'bar',
      data: {
        labels: result.steps.map((step) => stageNames[step.stage] ?? step.stage),
        datasets: [
          {
            label: 'Leads',
            data: result.steps.map((step) => step.count),
            backgroundColor: ['#1e40af', '#1d4ed8', '#2563eb', '#3b82f6', '#60a5fa', '#93c5fd'],
            borderRadius: 4,
            maxBarThickness: 64,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { grid: { display: false } },
        },
      },
    });
    setEmpty(id, (result.steps[0]?.count ?? 0) === 0);
  };

  const renderSla = (grouping, summary) => {
    complianceChart(`chart-sla-${grouping}`, summary.rows);
    const volume = new Map((summary.marketingVolume ?? []).map((row) => [row.month, row]));
    const rows = summary.rows.map((row) => {
      const tone = complianceTone(row.compliance);
      const cells = [
        el('th', { scope: 'row' }, row.key),
        cell(count(row.handoffs), { class: 'num' }),
        cell(count(row.met), { class: 'num' }),
        cell(count(row.breached), { class: 'num' }),
        cell(count(row.open), { class: 'num' }),
        el('td', { class: 'num' }, el('span', { class: `pill ${tone}` }, percent(row.compliance))),
      ];
      if (grouping === 'rep') {
        cells.push(cell(minutes(row.responseMinutes.median), { class: 'num' }));
        cells.push(cell(minutes(row.responseMinutes.p90), { class: 'num' }));
      } else {
        const month = volume.get(row.key);
        cells.push(
          el(
            'td',
            { class: 'num' },
            month
              ? el(
                  'span',
                  { class: `pill ${month.met ? 'good' : 'warn'}` },
                  `${count(month.handoffs)} / ${count(month.target)}`,
                )
              : '–',
          ),
        );
      }
      return el(
        'tr',
        {
          dataset: {
            key: row.key,
            handoffs: row.handoffs,
            met: row.met,
            breached: row.breached,
            open: row.open,
            compliance: row.compliance === null ? '' : row.compliance,
          },
        },
        ...cells,
      );
    });
    fillRows($(`#table-sla-${grouping} tbody`), rows, 'No handoffs', grouping === 'rep' ? 8 : 7);
  };

  const renderAttribution = (grouping, report) => {
    attributionChart(`chart-attribution-${grouping}`, report);
    const panel = document.getElementById(`panel-attribution-${grouping}`);
    $('.model-name', panel).textContent = `Model ${report.model}.`;
    const rows = report.rows.map((row) =>
      el(
        'tr',
        {
          dataset: {
            key: row.key,
            currency: row.currency,
            amount: row.amount,
            conversions: row.conversions,
          },
        },
        el('th', { scope: 'row' }, row.key),
        cell(row.currency),
        cell(money(row.amount, row.currency), { class: 'num' }),
        cell(count(row.conversions), { class: 'num' }),
      ),
    );
    fillRows($('tbody', panel), rows, 'No conversions', 4);
    $('tfoot', panel).replaceChildren(
      ...report.totals.map((total) =>
        el(
          'tr',
          {
            dataset: {
              total: 'true',
              currency: total.currency,
              amount: total.amount,
              conversions: total.conversions,
            },
          },
          cell('Total'),
          cell(total.currency),
          cell(money(total.amount, total.currency), { class: 'num' }),
          cell(count(total.conversions), { class: 'num' }),
        ),
      ),
    );
  };

  const renderFunnel = (result) => {
    funnelChart('chart-funnel', result);
    const rates = new Map(result.conversionRates.map((rate) => [rate.to, rate.rate]));
    const rows = result.steps.map((step) =>
      el(
        'tr',
        { dataset: { stage: step.stage, count: step.count, rate: rates.get(step.stage) ?? '' } },
        el('th', { scope: 'row' }, stageNames[step.stage] ?? step.stage),
        cell(count(step.count), { class: 'num' }),
        cell(rates.has(step.stage) ? percent(rates.get(step.stage)) : '', { class: 'num' }),
      ),
    );
    fillRows($('#table-funnel tbody'), rows, 'No leads', 3);
    // where the lost leads dropped out, so marketing and sales see whose stage loses them
    const lostFrom = Object.entries(result.lostFrom ?? {}).map(([stage, lost]) =>
      el(
        'tr',
        { dataset: { lostFrom: stage, count: lost } },
        cell(`lost from ${stageNames[stage] ?? stage}`, { class: 'lost-from' }),
        cell(count(lost), { class: 'num' }),
        cell(''),
      ),
    );
    $('#table-funnel tfoot').replaceChildren(
      el(
        'tr',
        { dataset: { stage: 'lost', count: result.lost } },
        cell('Lost'),
        cell(count(result.lost), { class: 'num' }),
        cell(''),
      ),
      ...lostFrom,
    );
  };

  // UUIDv7 ids start with their timestamp, so the random tail tells leads apart
  const leadCell = (leadId) => el('td', { title: leadId }, el('code', {}, `…${leadId.slice(-8)}`));
  const handoffRow = (item, extra) =>
    el(
      'tr',
      { dataset: { handoffId: item.handoffId, leadId: item.leadId, status: item.status } },
      leadCell(item.leadId),
      cell(item.toRep),
      cell(shortDateTime(item.handedOffAt)),
      cell(shortDateTime(item.dueAt)),
      ...extra,
    );

  const renderHandoffs = (open, breached) => {
    $('#count-open').textContent = `(${open.items.length})`;
    $('#count-breached').textContent = `(${breached.items.length})`;
    fillRows(
      $('#table-handoffs-open tbody'),
      open.items.map((item) => handoffRow(item, [])),
      'Nothing waiting',
      4,
    );
    fillRows(
      $('#table-handoffs-breached tbody'),
      breached.items.map((item) =>
        handoffRow(item, [
          item.respondedAt
            ? el(
                'td',
                {},
                el('span', { class: 'pill warn' }, `${item.response ?? 'responded'} late`),
                ` after ${minutes(item.responseMinutes)}`,
              )
            : el('td', {}, el('span', { class: 'pill bad' }, 'no response')),
        ]),
      ),
      'No breaches',
      5,
    );
  };

  // [{currency, amount}] → one line per currency, never a sum across them
  const revenueCell = (revenue) =>
    el(
      'td',
      { class: 'num money' },
      ...(revenue.length === 0
        ? ['–']
        : revenue.map((entry) =>
            el('span', { class: 'line' }, money(Number(entry.amount), entry.currency)),
          )),
    );
  const metPill = (met, text) =>
    el('span', { class: `pill ${met === null ? 'neutral' : met ? 'good' : 'bad'}` }, text);
  // data-* copies of a report row for tests and tools: numbers as text, objects as JSON
  const rowDataset = (row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : value,
      ]),
    );

  const renderMarketingScorecard = ({ months }) => {
    const rows = months.map((month) =>
      el(
        'tr',
        { dataset: rowDataset(month) },
        el('th', { scope: 'row' }, month.month),
        cell(count(month.mqls), { class: 'num' }),
        el(
          'td',
          { class: 'num' },
          metPill(
            month.volumeMet,
            `${count(month.handoffs)} / ${month.volumeTarget === null ? '–' : count(month.volumeTarget)}`,
          ),
        ),
        cell(count(month.accepted), { class: 'num' }),
        cell(count(month.rejected), { class: 'num' }),
        cell(count(month.overturned), { class: 'num' }),
        el(
          'td',
          { class: 'num' },
          metPill(
            month.qualityMet,
            `${percent(month.acceptanceRate)} / ${percent(month.qualityTarget)}`,
          ),
        ),
        revenueCell(month.sourcedRevenue),
      ),
    );
    fillRows($('#table-scorecard-marketing tbody'), rows, 'No month with leads yet', 8);
  };

  const renderSalesScorecard = ({ rows: reps }) => {
    const compliancePill = (ratio) =>
      el(
        'td',
        { class: 'num' },
        el('span', { class: `pill ${complianceTone(ratio)}` }, percent(ratio)),
      );
    const rows = reps.map((row) =>
      el(
        'tr',
        { dataset: rowDataset(row) },
        el('th', { scope: 'row' }, row.key),
        cell(count(row.handoffs), { class: 'num' }),
        cell(count(row.respondedOnTime), { class: 'num' }),
        cell(count(row.respondedLate), { class: 'num' }),
        cell(count(row.unanswered), { class: 'num' }),
        compliancePill(row.responseCompliance),
        cell(count(row.worked), { class: 'num' }),
        cell(count(row.followUpsMet), { class: 'num' }),
        cell(count(row.followUpsBreached), { class: 'num' }),
        compliancePill(row.followUpCompliance),
        cell(count(row.sql), { class: 'num' }),
        cell(count(row.converted), { class: 'num' }),
        cell(count(row.lost), { class: 'num' }),
        cell(percent(row.closeRate), { class: 'num' }),
        revenueCell(row.revenue),
        cell(count(row.rejectionsOverturned), { class: 'num' }),
      ),
    );
    fillRows($('#table-scorecard-sales tbody'), rows, 'No handoffs yet', 16);
  };

  const reasonNames = {
    not_icp: 'not ICP',
    bad_contact: 'bad contact',
    duplicate: 'duplicate',
    not_ready: 'not ready',
    other: 'other',
  };
  const renderQuality = ({ rows: campaigns }) => {
    const rows = campaigns.map((row) =>
      el(
        'tr',
        { dataset: rowDataset(row) },
        el('th', { scope: 'row' }, row.key),
        cell(count(row.handoffs), { class: 'num' }),
        cell(count(row.accepted), { class: 'num' }),
        cell(count(row.rejected), { class: 'num' }),
        cell(
          Object.entries(row.rejectedBy)
            .map(([reason, n]) => `${reasonNames[reason] ?? reason} ${count(n)}`)
            .join(', ') || '–',
        ),
        cell(count(row.overturned), { class: 'num' }),
        cell(percent(row.acceptanceRate), { class: 'num' }),
        cell(count(row.converted), { class: 'num' }),
        cell(percent(row.conversionRate), { class: 'num' }),
        revenueCell(row.revenue),
        cell(row.avgScoreAtHandoff === null ? '–' : String(row.avgScoreAtHandoff), {
          class: 'num',
        }),
      ),
    );
    fillRows($('#table-quality tbody'), rows, 'No handoffs yet', 11);
  };

  const bandNames = { none: 'No score (override)' };
  const renderScoreBands = ({ bands }) => {
    const asPercent = (ratio) => (ratio === null ? null : ratio * 100);
    chartFor('chart-score-bands', {
      type: 'bar',
      data: {
        labels: bands.map((band) => bandNames[band.band] ?? band.band),
        datasets: [
          {
            label: 'Acceptance',
            data: bands.map((band) => asPercent(band.acceptanceRate)),
            backgroundColor: palette[0],
            borderRadius: 4,
            maxBarThickness: 40,
          },
          {
            label: 'Conversion',
            data: bands.map((band) => asPercent(band.conversionRate)),
            backgroundColor: palette[1],
            borderRadius: 4,
            maxBarThickness: 40,
          },
        ],
      },
      options: {
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (item) => {
                const band = bands[item.dataIndex];
                return item.datasetIndex === 0
                  ? `Acceptance ${percent(band.acceptanceRate)} (${band.accepted} of ${band.handoffs})`
                  : `Conversion ${percent(band.conversionRate)} (${band.converted} of ${band.accepted} accepted)`;
              },
            },
          },
        },
        scales: {
          y: { min: 0, max: 100, ticks: { callback: (value) => `${value}%` } },
          x: { grid: { display: false }, title: { display: true, text: 'Score at handoff' } },
        },
      },
    });
    setEmpty(
      'chart-score-bands',
      bands.every((band) => band.handoffs === 0),
    );
    const rows = bands.map((band) =>
      el(
        'tr',
        { dataset: rowDataset(band) },
        el('th', { scope: 'row' }, bandNames[band.band] ?? band.band),
        cell(count(band.handoffs), { class: 'num' }),
        cell(count(band.accepted), { class: 'num' }),
        cell(count(band.converted), { class: 'num' }),
        cell(percent(band.acceptanceRate), { class: 'num' }),
        cell(percent(band.conversionRate), { class: 'num' }),
      ),
    );
    fillRows($('#table-score-bands tbody'), rows, 'No handoffs yet', 6);
  };

  const renderDisputes = ({ items }) => {
    $('#count-disputes').textContent = `(${items.length})`;
    fillRows(
      $('#table-disputes tbody'),
      items.map((item) =>
        el(
          'tr',
          { dataset: { handoffId: item.handoffId, leadId: item.leadId, dispute: item.dispute } },
          leadCell(item.leadId),
          cell(item.toRep),
          cell(shortDateTime(item.handedOffAt)),
          cell(shortDateTime(item.respondedAt)),
        ),
      ),
      'No dispute awaits a ruling',
      4,
    );
  };

  // Soonest deadline first: the order a rep works them in (ISO times sort as text).
  const renderFollowUps = ({ items }) => {
    $('#count-follow-ups').textContent = `(${items.length})`;
    const byDeadline = [...items].sort(
      (a, b) =>
        (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0) ||
        (a.handoffId < b.handoffId ? -1 : 1),
    );
    fillRows(
      $('#table-follow-ups tbody'),
      byDeadline.map((item) =>
        el(
          'tr',
          {
            dataset: {
              handoffId: item.handoffId,
              leadId: item.leadId,
              rep: item.rep,
              deadline: item.deadline,
              attempts: item.attempts,
              required: item.required,
              status: item.status,
            },
          },
          leadCell(item.leadId),
          cell(item.rep),
          cell(shortDateTime(item.acceptedAt)),
          cell(shortDateTime(item.deadline)),
          cell(`${count(item.attempts)} of ${count(item.required)}`, { class: 'num' }),
        ),
      ),
      'No follow-up due',
      5,
    );
  };

  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  // [1, 2, 3, 4, 5] → "Mon–Fri"; anything not one run of days is listed
  const dayNames = (days) => {
    const sorted = [...days].sort((a, b) => a - b);
    const run = sorted.every((day, index) => index === 0 || day === sorted[index - 1] + 1);
    return run && sorted.length > 2
      ? `${weekdays[sorted[0] - 1]}–${weekdays[sorted.at(-1) - 1]}`
      : sorted.map((day) => weekdays[day - 1]).join(', ');
  };
  const responseText = (response) => {
    const within = `within ${minutes(response.acceptWithinMinutes)}`;
    const hours = response.businessHours;
    if (!hours) return `${within}, around the clock`;
    const holidays = hours.holidays?.length ? `, ${hours.holidays.length} holidays off` : '';
    return `${within} of business hours (${dayNames(hours.days)} ${hours.from}–${hours.to}, ${hours.timeZone}${holidays})`;
  };
  const capitalized = (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  const followUpText = (followUp) =>
    followUp ? `${followUp.attempts} attempts within ${followUp.withinHours} h` : 'None agreed';
  const remedyText = (remedy) => {
    if (!remedy) return 'None agreed';
    const names = {
      none: 'None',
      reassign: 'Reassign',
      return_to_marketing: 'Return to marketing',
      escalate: 'Escalate',
    };
    const to = remedy.repPool
      ? ` to ${remedy.repPool.join(', ')}`
      : remedy.escalateTo
        ? ` to ${remedy.escalateTo}`
        : '';
    return `${names[remedy.onResponseBreach] ?? remedy.onResponseBreach}${to}, on a response breach`;
  };
  const scoringText = (scoring) => {
    if (scoring.source !== 'rules') return 'External: scores come from marketing’s tools';
    const decay = scoring.decayHalfLifeDays
      ? `, engagement halves every ${scoring.decayHalfLifeDays} days`
      : '';
    return `Rules: ${scoring.fit.length} fit and ${scoring.engagement.length} engagement rules${decay}`;
  };
  const pilotText = (pilot) => {
    if (!pilot) return 'No pilot';
    const own = [
      pilot.salesResponse && `respond ${responseText(pilot.salesResponse)}`,
      pilot.salesFollowUp && `follow up ${followUpText(pilot.salesFollowUp).toLowerCase()}`,
      pilot.remedy && remedyText(pilot.remedy).toLowerCase(),
    ].filter(Boolean);
    return `${pilot.reps.join(', ')}${own.length ? `: ${own.join('; ')}` : ''}`;
  };

  // Each term's text for people, and its raw section as data-value for tests and tools.
  const termRows = (terms) => [
    ['MQL threshold', 'qualification', `Score ≥ ${terms.qualification.mqlThreshold}`],
    ['Scoring', 'scoring', scoringText(terms.scoring)],
    ['Sales response', 'salesResponse', capitalized(responseText(terms.salesResponse))],
    ['Follow-up', 'salesFollowUp', followUpText(terms.salesFollowUp)],
    [
      'Marketing target',
      'marketing',
      `${count(terms.marketing.mqlsPerMonth)} MQLs a month` +
        (terms.marketing.minAcceptanceRate === undefined
          ? ''
          : `, at least ${percent(terms.marketing.minAcceptanceRate)} accepted`),
    ],
    ['Remedy', 'remedy', remedyText(terms.remedy)],
    ['Pilot reps', 'pilot', pilotText(terms.pilot)],
  ];

  const statusTone = { approved: 'good', proposed: 'neutral', withdrawn: 'bad' };

  // Every version may be tried, proposed and withdrawn ones included; the newest is preselected.
  const fillWhatIfVersions = (list) => {
    const select = $('#what-if-version');
    const chosen = select.value;
    select.replaceChildren(
      ...[...list.items]
        .reverse()
        .map((item) =>
          el(
            'option',
            { value: item.version },
            `Version ${item.version} (${item.status}${item.inForce ? ', in force' : ''})`,
          ),
        ),
    );
    if (list.items.some((item) => String(item.version) === chosen)) select.value = chosen;
  };

  const changedLimit = 50;
  const changedRows = (items, toRow, columns) =>
    items.length > changedLimit
      ? [
          ...items.slice(0, changedLimit).map(toRow),
          el(
            'tr',
            {},
            cell(`and ${count(items.length - changedLimit)} more`, {
              colspan: columns,
              class: 'none',
            }),
          ),
        ]
      : items.map(toRow);

  const tallyRow = (judged, label, tally, columns) =>
    el(
      'tr',
      {
        dataset: {
          judged,
          ...Object.fromEntries(Object.entries(tally).map(([key, value]) => [key, value ?? ''])),
        },
      },
      el('th', { scope: 'row' }, label),
      ...columns(tally),
    );

  const renderSlaWhatIf = (answer) => {
    const columns = (tally) => [
      cell(count(tally.handoffs), { class: 'num' }),
      cell(count(tally.met), { class: 'num' }),
      cell(count(tally.breached), { class: 'num' }),
      cell(count(tally.open), { class: 'num' }),
      el(
        'td',
        { class: 'num' },
        el(
          'span',
          { class: `pill ${complianceTone(tally.compliance)}` },
          percent(tally.compliance),
        ),
      ),
    ];
    $('#table-what-if-sla tbody').replaceChildren(
      tallyRow('actual', 'As recorded', answer.actual, columns),
      tallyRow('hypothetical', `Under version ${answer.version}`, answer.hypothetical, columns),
    );
    const changed = $('#what-if-sla-changed');
    changed.textContent = `(${count(answer.changed.length)} handoffs would change)`;
    changed.dataset.changed = answer.changed.length;
    fillRows(
      $('#table-what-if-sla-changes tbody'),
      changedRows(
        answer.changed,
        (item) =>
          el(
            'tr',
            {
              dataset: {
                handoffId: item.handoffId,
                leadId: item.leadId,
                actual: item.actual,
                hypothetical: item.hypothetical,
                hypotheticalDueAt: item.hypotheticalDueAt,
              },
            },
            leadCell(item.leadId),
            cell(item.toRep),
            cell(item.actual),
            cell(item.hypothetical),
            cell(shortDateTime(item.hypotheticalDueAt)),
          ),
        5,
      ),
      'No handoff would change',
      5,
    );
  };

  const renderQualificationWhatIf = (answer, version) => {
    const note = $('#what-if-qualification-note');
    const changed = $('#what-if-qualification-changed');
    const tables = ['#table-what-if-qualification', '#table-what-if-qualification-changes'];
    for (const table of tables) $(table).closest('.table-wrap').hidden = answer === null;
    note.hidden = answer !== null;
    if (answer === null) {
      // only rules can be replayed: external scores were whatever marketing's tools sent
      note.textContent = `Version ${version} takes its scores from marketing’s own tools (scoring source external), so there are no rules to re-score history with.`;
      changed.textContent = '';
      delete changed.dataset.changed;
      return;
    }
    const columns = (tally) => [
      cell(count(tally.leads), { class: 'num' }),
      cell(count(tally.mqls), { class: 'num' }),
    ];
    $('#table-what-if-qualification tbody').replaceChildren(
      tallyRow('actual', 'As recorded', answer.actual, columns),
      tallyRow('hypothetical', `Under version ${answer.version}`, answer.hypothetical, columns),
    );
    changed.textContent = `(${count(answer.changed.length)} leads would change)`;
    changed.dataset.changed = answer.changed.length;
    const mql = (yes) => (yes ? 'MQL' : 'not MQL');
    fillRows(
      $('#table-what-if-qualification-changes tbody'),
      changedRows(
        answer.changed,
        (item) =>
          el(
            'tr',
            {
              dataset: {
                leadId: item.leadId,
                actual: item.actual,
                hypothetical: item.hypothetical,
                hypotheticalMaxScore: item.hypotheticalMaxScore ?? '',
              },
            },
            leadCell(item.leadId),
            cell(mql(item.actual)),
            cell(mql(item.hypothetical)),
            cell(item.hypotheticalMaxScore === null ? '–' : count(item.hypotheticalMaxScore), {
              class: 'num',
            }),
          ),
        4,
      ),
      'No lead would change',
      4,
    );
  };

  // Runs only when asked: each answer replays the log in an as-of worker.
  const runWhatIf = async () => {
    const panel = $('#panel-what-if');
    const version = Number($('#what-if-version').value);
    if (!version) return;
    const terms = state.agreements?.items.find((item) => item.version === version)?.terms;
    const byRules = terms?.scoring.source === 'rules';
    const params = {
      version,
      from: utcInput($('#what-if-from').value) ?? undefined,
      to: utcInput($('#what-if-to').value) ?? undefined,
      asOf: state.asOf ?? undefined,
    };
    const generation = ++state.whatIfGeneration;
    panel.dataset.state = 'loading';
    const [sla, qualification] = await Promise.allSettled([
      api('/what-if/sla', params),
      byRules ? api('/what-if/qualification', params) : Promise.resolve(null),
    ]);
    if (generation !== state.whatIfGeneration) return;
    const failure = [sla, qualification].find((outcome) => outcome.status === 'rejected');
    const message = $('.panel-error', panel);
    message.hidden = !failure;
    $('#what-if-result').hidden = Boolean(failure);
    Object.assign(panel.dataset, {
      version,
      from: params.from ?? '',
      to: params.to ?? '',
      asOf: params.asOf ?? 'latest',
    });
    if (failure) {
      const { reason } = failure;
      // the problem's own detail says what to change (a window the wrong way round, …)
      message.textContent =
        reason instanceof ApiError && reason.status !== 403
          ? (reason.problem?.detail ?? describeError(reason))
          : panelFailure(reason);
      panel.dataset.state =
        reason instanceof ApiError && reason.status === 403 ? 'forbidden' : 'error';
      return;
    }
    message.textContent = '';
    renderSlaWhatIf(sla.value);
    renderQualificationWhatIf(qualification.value, version);
    panel.dataset.state = 'ready';
  };
  const teamNames = { marketing: 'Marketing', sales: 'Sales' };

  const renderAgreement = (list) => {
    const panel = $('#panel-agreement');
    const inForce = list.items.find((item) => item.inForce) ?? null;
    panel.dataset.inForce = inForce ? inForce.version : '';
    $('#agreement-in-force-version').textContent = inForce
      ? `version ${inForce.version}, effective from ${dateTime(inForce.effectiveFrom)}`
      : 'none';
    $('#agreement-terms').replaceChildren(
      ...(inForce
        ? termRows(inForce.terms).flatMap(([label, section, text]) => [
            el('dt', {}, label),
            el(
              'dd',
              { dataset: { term: section, value: JSON.stringify(inForce.terms[section] ?? null) } },
              text,
            ),
          ])
        : []),
    );
    // newest first: the version being negotiated is what people look for
    const rows = [...list.items].reverse().map((item) =>
      el(
        'tr',
        {
          dataset: {
            version: item.version,
            status: item.status,
            effectiveFrom: item.effectiveFrom,
            proposer: item.proposer ?? '',
            inForce: item.inForce,
            signatures: JSON.stringify(item.signatures),
          },
        },
        el('th', { scope: 'row', class: 'num' }, String(item.version)),
        el(
          'td',
          { title: item.withdrawal ? `Withdrawn: ${item.withdrawal.reason}` : null },
          el('span', { class: `pill ${statusTone[item.status] ?? 'neutral'}` }, item.status),
          item.inForce ? el('span', { class: 'pill good in-force' }, 'in force') : null,
        ),
        cell(shortDateTime(item.effectiveFrom)),
        cell(item.proposer ?? '–'),
        el(
          'td',
          {},
          item.signatures.length === 0
            ? 'not signed yet'
            : el(
                'ul',
                { class: 'signatures' },
                ...item.signatures.map((signature) =>
                  el(
                    'li',
                    {},
                    `${teamNames[signature.team] ?? signature.team}: ${signature.actor ?? '–'}, ${shortDateTime(signature.at)}`,
                  ),
                ),
              ),
        ),
      ),
    );
    fillRows($('#table-agreement-versions tbody'), rows, 'No agreement yet', 5);
    state.agreements = list;
    fillWhatIfVersions(list);
  };

  const renderKpis = (results) => {
    const { funnel, attributionCampaign, slaMonth, open, breached } = results;
    const set = (id, ...content) => document.getElementById(id).replaceChildren(...content);
    if (funnel) {
      const captured = funnel.steps[0]?.count ?? 0;
      const converted = funnel.steps.at(-1)?.count ?? 0;
      set('kpi-captured', count(captured));
      set(
        'kpi-converted',
        count(converted),
        el(
          'span',
          { class: 'sub' },
          captured ? `${percent(converted / captured)} of captured` : '',
        ),
      );
    }
    if (attributionCampaign) {
      const totals = attributionCampaign.totals;
      const revenue = document.getElementById('kpi-revenue');
      revenue.classList.add('money');
      set(
        'kpi-revenue',
        ...(totals.length === 0
          ? ['–']
          : totals.map((total) =>
              el(
                'span',
                { class: 'line', dataset: { currency: total.currency, amount: total.amount } },
                money(total.amount, total.currency),
              ),
            )),
      );
    }
    if (slaMonth) {
      const met = slaMonth.rows.reduce((sum, row) => sum + row.met, 0);
      const late = slaMonth.rows.reduce((sum, row) => sum + row.breached, 0);
      set(
        'kpi-compliance',
        met + late === 0 ? '–' : percent(met / (met + late)),
        el('span', { class: 'sub' }, `${count(met)} met, ${count(late)} breached`),
      );
    }
    if (open) set('kpi-open', count(open.items.length));
    if (breached) set('kpi-breached', count(breached.items.length));
  };

  const panelOf = {
    slaRep: 'panel-sla-rep',
    slaMonth: 'panel-sla-month',
    attributionCampaign: 'panel-attribution-campaign',
    attributionChannel: 'panel-attribution-channel',
    funnel: 'panel-funnel',
    open: 'panel-handoffs',
    breached: 'panel-handoffs',
    agreements: 'panel-agreement',
    disputes: 'panel-disputes',
    followUps: 'panel-follow-ups',
    marketingScorecard: 'panel-scorecard-marketing',
    salesScorecard: 'panel-scorecard-sales',
    quality: 'panel-quality',
    scoreBands: 'panel-score-bands',
  };

  const showAlert = (title, lines) => {
    const alert = $('#alert');
    if (!title) {
      alert.hidden = true;
      alert.replaceChildren();
      return;
    }
    alert.replaceChildren(
      el('strong', {}, title),
      el('ul', {}, ...lines.map((line) => el('li', {}, line))),
    );
    alert.hidden = false;
  };

  const showBasis = (responses) => {
    // Live queries may straddle a write; show the newest position any panel is based on.
    const positions = responses.map((response) => response.asOf).filter(Boolean);
    const newest = positions.reduce(
      (best, asOf) =>
        best === null || BigInt(asOf.position) > BigInt(best.position) ? asOf : best,
      null,
    );
    $('#as-of-position').textContent = newest ? newest.position : '–';
    $('#as-of-recorded').textContent = newest ? dateTime(newest.recordedAt) : '–';
    document.body.dataset.asOfPosition = newest ? newest.position : '';
    const mode = $('#basis-mode');
    mode.textContent = state.asOf ? `As of ${dateTime(state.asOf)}` : 'Latest';
    mode.classList.toggle('historical', Boolean(state.asOf));
  };

  const signedIn = (yes) => {
    $('#content').hidden = !yes;
    $('#signed-out-note').hidden = yes;
    $('#sign-out').hidden = !yes;
    $('#token-submit').textContent = yes ? 'Change token' : 'Sign in';
  };

  const load = async () => {
    if (!state.token) {
      signedIn(false);
      document.body.dataset.state = 'signed-out';
      return;
    }
    const generation = ++state.generation;
    document.body.dataset.state = 'loading';
    const asOf = state.asOf ?? undefined;
    const model = state.model;
    const requests = {
      slaRep: api('/sla/summary', { groupBy: 'rep', asOf }),
      slaMonth: api('/sla/summary', { groupBy: 'month', asOf }),
      attributionCampaign: api('/attribution', { model, groupBy: 'campaign', asOf }),
      attributionChannel: api('/attribution', { model, groupBy: 'channel', asOf }),
      funnel: api('/funnel', { asOf }),
      open: api('/sla/handoffs', { status: 'open', asOf }),
      breached: api('/sla/handoffs', { status: 'breached', asOf }),
      // the agreement as it stands now: it has no as-of view
      agreements: api('/agreements', {}),
      disputes: api('/sla/handoffs', { dispute: 'open', asOf }),
      followUps: api('/sla/follow-ups', { status: 'open', asOf }),
      marketingScorecard: api('/scorecards/marketing', { asOf }),
      salesScorecard: api('/scorecards/sales', { groupBy: 'rep', asOf }),
      quality: api('/quality', { groupBy: 'campaign', asOf }),
      scoreBands: api('/quality/score-bands', { asOf }),
    };
    const names = Object.keys(requests);
    const settled = await Promise.allSettled(Object.values(requests));
    // a newer load (another as-of, model or token) has started: its answer wins
    if (generation !== state.generation) return;

    const results = {};
    const failures = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') results[names[index]] = outcome.value;
      else failures.push({ name: names[index], error: outcome.reason });
    });

    for (const panelId of new Set(Object.values(panelOf))) {
      const panel = document.getElementById(panelId);
      const failure = failures.find((f) => panelOf[f.name] === panelId);
      const message = $('.panel-error', panel);
      message.hidden = !failure;
      message.textContent = failure ? panelFailure(failure.error) : '';
      panel.dataset.state = !failure
        ? 'ready'
        : failure.error.status === 403
          ? 'forbidden'
          : 'error';
    }

    if (results.slaRep) renderSla('rep', results.slaRep);
    if (results.slaMonth) renderSla('month', results.slaMonth);
    if (results.attributionCampaign) renderAttribution('campaign', results.attributionCampaign);
    if (results.attributionChannel) renderAttribution('channel', results.attributionChannel);
    if (results.funnel) renderFunnel(results.funnel);
    if (results.open && results.breached) renderHandoffs(results.open, results.breached);
    if (results.agreements) renderAgreement(results.agreements);
    if (results.disputes) renderDisputes(results.disputes);
    if (results.followUps) renderFollowUps(results.followUps);
    if (results.marketingScorecard) renderMarketingScorecard(results.marketingScorecard);
    if (results.salesScorecard) renderSalesScorecard(results.salesScorecard);
    if (results.quality) renderQuality(results.quality);
    if (results.scoreBands) renderScoreBands(results.scoreBands);
    renderKpis(results);
    showBasis(Object.values(results));

    const unauthorized = failures.find((f) => f.error.status === 401);
    const forbidden = failures.filter((f) => f.error.status === 403);
    if (unauthorized) {
      // a rejected token is forgotten, so a reload does not keep sending it
      sessionStorage.removeItem(tokenKey);
      state.token = null;
      signedIn(false);
      showAlert('The token was not accepted (401 Unauthorized).', [
        `${describeError(unauthorized.error)}. Enter a valid API token.`,
      ]);
      $('#token-input').focus();
    } else if (forbidden.length > 0) {
      signedIn(true);
      showAlert("This token's role may not read some reports (403 Forbidden).", [
        describeError(forbidden[0].error),
        'Use an analyst or admin token to see every panel.',
      ]);
    } else if (failures.length > 0) {
      signedIn(true);
      showAlert(
        'Some reports could not be loaded.',
        failures.map((f) => describeError(f.error)),
      );
    } else {
      signedIn(true);
      showAlert(null);
    }
    document.body.dataset.model = model;
    document.body.dataset.asOf = state.asOf ?? 'latest';
    document.body.dataset.state = failures.length > 0 ? 'error' : 'ready';
  };

  const start = () => {
    if (!window.Chart) {
      showAlert('The chart library did not load.', [
        '/dashboard/chart.umd.js could not be loaded.',
      ]);
      return;
    }
    const chartDefaults = window.Chart.defaults;
    chartDefaults.animation = false; // deterministic rendering (and screenshots)
    chartDefaults.maintainAspectRatio = false;
    chartDefaults.font.family = getComputedStyle(document.body).fontFamily;
    chartDefaults.color = '#475569';

    $('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('#token-input').value.trim();
      if (!token) return;
      sessionStorage.setItem(tokenKey, token);
      state.token = token;
      $('#token-input').value = '';
      showAlert(null);
      void load();
    });
    $('#sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(tokenKey);
      state.token = null;
      state.generation += 1;
      showAlert(null);
      void load();
    });
    $('#model-select').addEventListener('change', (event) => {
      state.model = event.target.value;
      void load();
    });
    $('#as-of-input').addEventListener('change', (event) => {
      state.asOf = utcInput(event.target.value);
      void load();
    });
    $('#what-if-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void runWhatIf();
    });
    $('#as-of-latest').addEventListener('click', () => {
      $('#as-of-input').value = '';
      state.asOf = null;
      void load();
    });
    state.model = $('#model-select').value;
    void load();
  };

  start();
})();
