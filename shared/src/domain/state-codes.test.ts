import { mapStateCode, packmlStateToStation, suspendedHintFromReason, umhStateToStation } from './state-codes.js';

describe('umhStateToStation (STANDARDS.md §2)', () => {
  it.each([
    [10000, 'running'],
    [20000, 'running'],
    [20010, 'running'],
    [30000, 'offline'],
    [40000, 'down'],
    [40100, 'idle'],
    [40150, 'idle'],
    [40200, 'down'],
    [50000, 'down'],
    [60000, 'starved'],
    [60100, 'starved'],
    [70000, 'blocked'],
    [80000, 'starved'],
    [90000, 'starved'],
    [100000, 'changeover'],
    [110000, 'changeover'],
    [120000, 'changeover'],
    [130000, 'changeover'],
    [140000, 'down'],
    [150000, 'break'],
    [160000, 'break'],
    [170000, 'idle'],
    [180000, 'down'],
    [190000, 'down'],
    [200000, 'down'],
    [210000, 'maintenance'],
    [220000, 'down'],
    [220500, 'down'],
  ] as const)('%i → %s', (code, state) => {
    expect(umhStateToStation(code)).toBe(state);
  });

  it.each([0, 9999, 230000, -10000, 1.5, Number.NaN])('%p is unknown', (code) => {
    expect(umhStateToStation(code)).toBeNull();
  });
});

describe('packmlStateToStation (STANDARDS.md §3)', () => {
  it.each([
    [0, 'offline'],
    [1, 'down'],
    [2, 'idle'],
    [3, 'changeover'],
    [4, 'idle'],
    [5, 'starved'],
    [6, 'running'],
    [7, 'idle'],
    [8, 'down'],
    [9, 'down'],
    [10, 'down'],
    [11, 'down'],
    [12, 'down'],
    [13, 'starved'],
    [14, 'starved'],
    [15, 'changeover'],
    [16, 'changeover'],
    [17, 'idle'],
  ] as const)('%i → %s', (code, state) => {
    expect(packmlStateToStation(code)).toBe(state);
  });

  it('takes the hint for the Suspended family only', () => {
    expect(packmlStateToStation(5, { hint: 'blocked' })).toBe('blocked');
    expect(packmlStateToStation(13, { hint: 'blocked' })).toBe('blocked');
    expect(packmlStateToStation(6, { hint: 'blocked' })).toBe('running');
  });

  it('unit mode 2 (Maintenance) wins over the state', () => {
    expect(packmlStateToStation(6, { unitMode: 2 })).toBe('maintenance');
  });

  it.each([18, -1, 2.5])('%p is unknown', (code) => expect(packmlStateToStation(code)).toBeNull());
});

describe('suspendedHintFromReason', () => {
  it.each([
    ['downstream full', 'blocked'],
    ['Blocked by conveyor', 'blocked'],
    ['outfeed jam', 'blocked'],
    ['no parts', 'starved'],
    ['upstream empty', 'starved'],
    ['Starved', 'starved'],
    ['operator call', null],
    [undefined, null],
  ] as const)('%p → %p', (reason, hint) => expect(suspendedHintFromReason(reason)).toBe(hint));
});

describe('mapStateCode', () => {
  it.each([
    ['running', 'floorboard', 'running'],
    ['bogus', 'floorboard', null],
    [6, 'floorboard', null],
    [6, 'packml', 'running'],
    ['6', 'packml', 'running'],
    ['down', 'packml', 'down'],
    [40100, 'umh', 'idle'],
    ['70000', 'umh', 'blocked'],
    ['x1', 'umh', null],
  ] as const)('%p with %s → %p', (value, table, state) => {
    expect(mapStateCode(value, table)).toBe(state);
  });

  it('reads PackML Suspended as blocked when the reason says so', () => {
    expect(mapStateCode(5, 'packml', { reason: 'downstream full' })).toBe('blocked');
    expect(mapStateCode(5, 'packml', { reason: 'operator call' })).toBe('starved');
  });

  it('uses a custom table', () => {
    const custom = { '1': 'running', '2': 'down', FAULT: 'down' } as const;
    expect(mapStateCode(1, 'custom', { custom })).toBe('running');
    expect(mapStateCode('FAULT', 'custom', { custom })).toBe('down');
    expect(mapStateCode(3, 'custom', { custom })).toBeNull();
  });
});
