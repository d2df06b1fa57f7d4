/** Brazilian formats between the normalized digits the domain keeps and what providers send or answer. */

/** A mobile number (DDD + 8 or 9 digits) as the two parts providers take apart. */
export const splitPhone = (phone: string): { areaCode: string; number: string } => ({
  areaCode: phone.slice(0, 2),
  number: phone.slice(2),
});

/** 52998224725 → 529.982.247-25 */
export const formatCpf = (cpf: string): string =>
  cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');

/** 01310100 → 01310-100 */
export const formatCep = (cep: string): string => cep.replace(/^(\d{5})(\d{3})$/, '$1-$2');

/** The digits of a number as a provider wrote it back: 529.982.247-25 → 52998224725; none → ''. */
export const digitsOf = (written: string | null | undefined): string => (written ?? '').replace(/\D/g, '');
