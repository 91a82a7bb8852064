import {
  ANDON_THRESHOLD_PERCENT_MAX,
  ANDON_THRESHOLD_PERCENT_MIN,
  type AndonRule,
  type AndonRuleKind,
} from '@floorboard/shared';

/** The longest threshold the server takes (`thresholdSeconds` ≤ 604800, seven days). */
export const ANDON_THRESHOLD_SECONDS_MAX = 604_800;

/** One rule as its form holds it: the inputs' raw text, so a half-typed value is shown, not lost. */
export interface AndonRuleDraft {
  kind: AndonRuleKind;
  enabled: boolean;
  minutes: string;
  seconds: string;
  /** `line-below-target` only; null for the other kinds. */
  percent: string | null;
}

/** What is wrong with a draft: the field and the reason, for the message next to it. */
export type AndonRuleProblem =
  | { field: 'threshold'; problem: 'notWholeNumber' | 'secondsOverMinute' | 'tooLong' }
  | { field: 'percent'; problem: 'percentRange' };

export function toDraft(rule: AndonRule): AndonRuleDraft {
  return {
    kind: rule.kind,
    enabled: rule.enabled,
    minutes: String(Math.floor(rule.thresholdSeconds / 60)),
    seconds: String(rule.thresholdSeconds % 60),
    percent: rule.thresholdPercent === undefined ? null : String(rule.thresholdPercent),
  };
}

/** A whole, non-negative number typed into a field; null for anything else ("", "1.5", "-1", "1e3"). */
function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

/** The draft's threshold in seconds, or null when the inputs are not whole numbers. */
export function draftSeconds(draft: AndonRuleDraft): number | null {
  const minutes = wholeNumber(draft.minutes);
  const seconds = wholeNumber(draft.seconds);
  return minutes === null || seconds === null ? null : minutes * 60 + seconds;
}

export function draftPercent(draft: AndonRuleDraft): number | null {
  return draft.percent === null ? null : wholeNumber(draft.percent);
}

/** The draft's problems, the same bounds as the server's DTO (so a valid draft is never refused for them). */
export function validateDraft(draft: AndonRuleDraft): AndonRuleProblem[] {
  const problems: AndonRuleProblem[] = [];
  const total = draftSeconds(draft);
  if (total === null) problems.push({ field: 'threshold', problem: 'notWholeNumber' });
  else if (Number(draft.seconds) > 59) problems.push({ field: 'threshold', problem: 'secondsOverMinute' });
  else if (total > ANDON_THRESHOLD_SECONDS_MAX) problems.push({ field: 'threshold', problem: 'tooLong' });
  if (draft.percent !== null) {
    const percent = draftPercent(draft);
    if (percent === null || percent < ANDON_THRESHOLD_PERCENT_MIN || percent > ANDON_THRESHOLD_PERCENT_MAX) {
      problems.push({ field: 'percent', problem: 'percentRange' });
    }
  }
  return problems;
}

/** One entry of `PUT /andon/rules`: only the fields that change. */
export interface AndonRulePatch {
  kind: AndonRuleKind;
  enabled?: boolean;
  thresholdSeconds?: number;
  thresholdPercent?: number;
}

/**
 * The change a valid draft makes to the saved rule, or null when it makes none. Only changed fields are sent:
 * the server keeps the rest, so two managers editing different rules do not undo each other.
 */
export function draftPatch(draft: AndonRuleDraft, saved: AndonRule): AndonRulePatch | null {
  const patch: AndonRulePatch = { kind: saved.kind };
  if (draft.enabled !== saved.enabled) patch.enabled = draft.enabled;
  const seconds = draftSeconds(draft);
  if (seconds !== null && seconds !== saved.thresholdSeconds) patch.thresholdSeconds = seconds;
  const percent = draftPercent(draft);
  if (saved.thresholdPercent !== undefined && percent !== null && percent !== saved.thresholdPercent) {
    patch.thresholdPercent = percent;
  }
  return Object.keys(patch).length > 1 ? patch : null;
}
