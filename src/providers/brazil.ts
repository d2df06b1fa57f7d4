/** Brazilian formats the providers ask for, from the normalized digits the domain keeps. */

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
