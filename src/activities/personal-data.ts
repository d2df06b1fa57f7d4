/**
 * The applicant's and signers' own values, found in an activity's arguments, and their removal from
 * a provider's free text before it reaches a failure, an outcome, the status query or a log.
 * Patterns (e-mails, CPF-like numbers, long digit runs) are removed by the provider layer already;
 * this removes what no pattern can see: names, streets, cities, and numbers in any formatting.
 */

/** Keys whose string values are personal data in the onboarding's input and signing requests. */
const PERSONAL_KEYS = new Set([
  'name',
  'cpf',
  'email',
  'phone',
  'birthDate',
  'street',
  'complement',
  'district',
  'city',
  'zipCode',
]);

/** Name particles that are not worth redacting alone ("da", "dos"...). */
const PARTICLES = new Set(['da', 'de', 'do', 'das', 'dos', 'e', 'di', 'du', 'del', 'van', 'von']);

/** Every personal value in `args` (objects and arrays walked a few levels deep). */
export function personalValues(args: unknown[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string' && PERSONAL_KEYS.has(key) && v.trim() !== '') found.add(v.trim());
      else walk(v, depth + 1);
    }
  };
  for (const arg of args) walk(arg, 0);
  return [...found];
}

const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const LETTER_CLASSES: Record<string, string> = {
  a: '[aáàâãä]',
  e: '[eéèêë]',
  i: '[iíìîï]',
  o: '[oóòôõö]',
  u: '[uúùûü]',
  c: '[cç]',
  n: '[nñ]',
};

/** A pattern that finds `term` whatever its accents and case; digits may be split by separators. */
function patternOf(term: string): string {
  const folded = fold(term);
  const digitsOnly = folded.replace(/\D/g, '');
  if (digitsOnly.length >= 4 && digitsOnly.length >= folded.replace(/[\s.\-/()+]/g, '').length) {
    return digitsOnly.split('').join('[\\s.\\-/()]*');
  }
  return [...folded].map((ch) => LETTER_CLASSES[ch] ?? ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('');
}

/** The terms to look for: each value, its words (for names and places), the parts of an e-mail and phone. */
function termsOf(values: string[]): string[] {
  const terms = new Set<string>();
  for (const value of values) {
    terms.add(value);
    for (const word of value.split(/[\s,;]+/)) {
      if (word.length >= 3 && !PARTICLES.has(fold(word))) terms.add(word);
    }
    const at = value.indexOf('@');
    if (at >= 3) terms.add(value.slice(0, at));
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 10) terms.add(digits.slice(2)); // a phone without its area code
  }
  return [...terms]
    .filter((t) => fold(t).replace(/[^a-z0-9]/g, '').length >= 3)
    .sort((a, b) => b.length - a.length);
}

/** `text` without any of `values`, in any accents, case or digit formatting. */
export function redactPersonal(text: string, values: string[]): string {
  let out = text.normalize('NFC');
  for (const term of termsOf(values)) {
    out = out.replace(new RegExp(patternOf(term), 'giu'), '[redacted]');
  }
  return out;
}
