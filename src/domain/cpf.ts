/** CPF (Cadastro de Pessoas Físicas): 11 digits, the last two are check digits (mod 11). */
export function normalizeCpf(value: string): string {
  return value.replace(/[.\-\s]/g, '');
}

export function isValidCpf(value: string): boolean {
  const cpf = normalizeCpf(value);
  if (!/^\d{11}$/.test(cpf)) return false;
  // Repeated digits pass the arithmetic but are not issued.
  if (/^(\d)\1{10}$/.test(cpf)) return false;
  const digits = [...cpf].map(Number);
  const check = (length: number): number => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += (digits[i] ?? 0) * (length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits[9] && check(10) === digits[10];
}

/** Appends the two check digits to nine base digits (used by tests and examples to make valid CPFs). */
export function withCheckDigits(base9: string): string {
  if (!/^\d{9}$/.test(base9)) throw new Error('base must be 9 digits');
  let cpf = base9;
  for (const length of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += Number(cpf[i]) * (length + 1 - i);
    const rest = (sum * 10) % 11;
    cpf += String(rest === 10 ? 0 : rest);
  }
  return cpf;
}
