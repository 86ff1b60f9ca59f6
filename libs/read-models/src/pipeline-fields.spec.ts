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

  it.each([
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
