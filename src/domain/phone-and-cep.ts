/**
 * Brazilian formats the onboarding input relies on: mobile numbers (DDD + 9 digits) and CEPs.
 * Pure functions, no I/O; the schema in ./input.ts turns their verdicts into messages.
 */

/** ANATEL's area codes (DDD) in use. 20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56-60, 70, 72, 76, 78, 80, 90 are not. */
export const ANATEL_DDDS: readonly string[] = [
  '11', '12', '13', '14', '15', '16', '17', '18', '19',
  '21', '22', '24', '27', '28',
  '31', '32', '33', '34', '35', '37', '38',
  '41', '42', '43', '44', '45', '46', '47', '48', '49',
  '51', '53', '54', '55',
  '61', '62', '63', '64', '65', '66', '67', '68', '69',
  '71', '73', '74', '75', '77', '79',
  '81', '82', '83', '84', '85', '86', '87', '88', '89',
  '91', '92', '93', '94', '95', '96', '97', '98', '99',
]; // prettier-ignore

const ddds: ReadonlySet<string> = new Set(ANATEL_DDDS);

export function isValidDdd(ddd: string): boolean {
  return ddds.has(ddd);
}

/**
 * The digits of a phone number as people write it: "(11) 98765-4321", "+55 11 98765-4321",
 * "11 9 8765 4321", "11987654321". Spaces, parentheses, dots, hyphens and "+" are dropped, and a
 * leading country code 55 is dropped when 10 or 11 digits follow it. Idempotent: its output is
 * returned unchanged (11 digits never have 10 or 11 digits after their first two).
 */
export function phoneDigits(value: string): string {
  return value.replace(/[\s().+-]/g, '').replace(/^55(?=\d{10,11}$)/, '');
}

export type MobileVerdict = 'ok' | 'not_mobile' | 'unknown_ddd';

/** A mobile number is a DDD from ANATEL's list and 9 digits starting with 9 (landlines have 8). */
export function mobileVerdict(digits: string): MobileVerdict {
  if (!/^\d{2}9\d{8}$/.test(digits)) return 'not_mobile';
  return isValidDdd(digits.slice(0, 2)) ? 'ok' : 'unknown_ddd';
}

/** The digits of a CEP ("05422-010", "05.422-010", "05422010"). */
export function cepDigits(value: string): string {
  return value.replace(/[.\-\s]/g, '');
}

export function isValidCep(digits: string): boolean {
  return /^\d{8}$/.test(digits) && digits !== '00000000';
}
