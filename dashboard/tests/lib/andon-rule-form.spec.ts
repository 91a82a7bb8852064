import { describe, expect, it } from 'vitest';
import type { AndonRule } from '@floorboard/shared';
import { draftPatch, toDraft, validateDraft, type AndonRuleDraft } from '../../src/lib/andon-rule-form';

const stationDown: AndonRule = { kind: 'station-down', enabled: true, thresholdSeconds: 300 };
const belowTarget: AndonRule = { kind: 'line-below-target', enabled: true, thresholdSeconds: 0, thresholdPercent: 80 };

const draft = (rule: AndonRule, change: Partial<AndonRuleDraft>): AndonRuleDraft => ({ ...toDraft(rule), ...change });

describe('toDraft', () => {
  it('splits the threshold into minutes and seconds and keeps the percent of line-below-target only', () => {
    expect(toDraft({ kind: 'gateway-offline', enabled: false, thresholdSeconds: 150 })).toEqual({
      kind: 'gateway-offline',
      enabled: false,
      minutes: '2',
      seconds: '30',
      percent: null,
    });
    expect(toDraft(belowTarget)).toMatchObject({ minutes: '0', seconds: '0', percent: '80' });
  });
});

describe('validateDraft', () => {
  it.each([
    [{ minutes: '5', seconds: '0' }, []],
    [{ minutes: ' 10080 ', seconds: '0' }, []],
    [{ minutes: '', seconds: '0' }, ['notWholeNumber']],
    [{ minutes: '1.5', seconds: '0' }, ['notWholeNumber']],
    [{ minutes: '-1', seconds: '0' }, ['notWholeNumber']],
    [{ minutes: '1e3', seconds: '0' }, ['notWholeNumber']],
    [{ minutes: '2', seconds: '60' }, ['secondsOverMinute']],
    [{ minutes: '10080', seconds: '1' }, ['tooLong']],
  ])('threshold %j → %j', (change, expected) => {
    expect(validateDraft(draft(stationDown, change)).map((p) => p.problem)).toEqual(expected);
  });

  it.each([
    ['1', []],
    ['100', []],
    ['0', ['percentRange']],
    ['101', ['percentRange']],
    ['7.5', ['percentRange']],
    ['', ['percentRange']],
  ])('percent %s → %j', (percent, expected) => {
    expect(validateDraft(draft(belowTarget, { percent })).map((p) => p.problem)).toEqual(expected);
  });
});

describe('draftPatch', () => {
  it('is null when nothing changed, also for a value written differently', () => {
    expect(draftPatch(toDraft(stationDown), stationDown)).toBeNull();
    expect(draftPatch(draft(stationDown, { minutes: '4', seconds: '60' }), stationDown)).toBeNull();
    expect(draftPatch(draft(belowTarget, { percent: '080' }), belowTarget)).toBeNull();
  });

  it('sends only the fields that changed', () => {
    expect(draftPatch(draft(stationDown, { minutes: '2', seconds: '30' }), stationDown)).toEqual({
      kind: 'station-down',
      thresholdSeconds: 150,
    });
    expect(draftPatch(draft(stationDown, { enabled: false }), stationDown)).toEqual({
      kind: 'station-down',
      enabled: false,
    });
    expect(draftPatch(draft(belowTarget, { percent: '70' }), belowTarget)).toEqual({
      kind: 'line-below-target',
      thresholdPercent: 70,
    });
  });
});
