import { pick, pipelinePaths } from './pipeline-fields';

describe('pipelinePaths', () => {
  it('names the fields read up to the first stage that builds new documents', () => {
    expect(
      pipelinePaths([
        { $match: { $and: [{ lostAt: { $ne: null } }, { 'handoffs.0': { $exists: true } }] } },
        { $unwind: '$credits.w_shaped' },
        {
          $group: {
            _id: { key: '$credits.w_shaped.campaignId', currency: '$currency' },
            leads: { $addToSet: '$leadId' },
          },
        },
        // after the $group: fields of the new documents, not of the input
        { $sort: { total: -1 } },
      ]),
    ).toEqual([['credits', 'w_shaped'], ['currency'], ['handoffs', '0'], ['leadId'], ['lostAt']]);
  });

  it('names the fields the pipelines of a $facet read, with the stages before it', () => {
    expect(
      pipelinePaths([
        { $match: { converted: true } },
        {
          $facet: {
            rows: [
              { $unwind: '$credits.linear' },
              { $group: { _id: '$credits.linear.channel', n: { $sum: '$credits.linear.amount' } } },
            ],
            totals: [{ $group: { _id: '$currency', n: { $sum: '$amount' } } }],
          },
        },
      ]),
    ).toEqual([['amount'], ['converted'], ['credits', 'linear'], ['currency']]);
  });

  it.each([
    ['a $facet pipeline returns whole documents', [{ $facet: { all: [{ $match: {} }] } }]],
    ['no stage builds new documents', [{ $match: { stage: 'mql' } }, { $limit: 5 }]],
    ['$$ROOT reads the whole document', [{ $group: { _id: '$stage', docs: { $push: '$$ROOT' } } }]],
    ['a stage it does not know', [{ $addFields: { x: 1 } }, { $group: { _id: '$x' } }]],
    ['$lookup', [{ $lookup: { from: 'x', localField: 'a', foreignField: 'b', as: 'c' } }]],
  ])('is null when %s', (_, pipeline) => {
    expect(pipelinePaths(pipeline)).toBeNull();
  });
});

describe('pick', () => {
  it('copies _id and the values at the paths, arrays and missing fields as they are', () => {
    const doc = {
      _id: 'a',
      credits: { w_shaped: [{ campaignId: 'c1' }], linear: [{ campaignId: 'c2' }] },
      handoffs: [{ at: 1 }],
      estimate: null,
      other: 'x',
    };
    expect(
      pick(doc, [['credits', 'w_shaped'], ['handoffs', '0'], ['estimate', 'amount'], ['gone']]),
    ).toEqual({
      _id: 'a',
      credits: { w_shaped: [{ campaignId: 'c1' }] },
      handoffs: [{ at: 1 }],
      estimate: null,
    });
  });
});
