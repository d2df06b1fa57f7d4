/**
 * The targets the lead works towards, each as a ratio or a figure measured in the same run, with
 * the target beside it. A missed target is shown, never a failed run.
 */
import { fmt } from './stats';

export interface Target {
  name: string;
  /** The measured value, in the unit of `shown`. */
  value: number;
  /** How the value is shown, e.g. `0.61×` or `412 MB`. */
  shown: string;
  target: string;
  met: boolean | undefined;
}

/** A target met when `compare(value, limit)` holds; not measured when the value is not finite. */
const targetWhere =
  (compare: (value: number, limit: number) => boolean) =>
  (name: string, value: number, limit: number, shown: string, target: string): Target => ({
    name,
    value,
    shown,
    target,
    met: Number.isFinite(value) ? compare(value, limit) : undefined,
  });

export const atMost = targetWhere((value, limit) => value <= limit);
export const atLeast = targetWhere((value, limit) => value >= limit);
export const below = targetWhere((value, limit) => value < limit);

export const verdict = (t: Target): string =>
  t.met === undefined ? 'not measured' : t.met ? 'met' : 'MISSED';

export const mb = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MB`;
