/** A provider's free text loses the applicant's own values, in any accents, case or formatting. */
import { describe, expect, it } from 'vitest';
import { personalValues, redactPersonal } from '../../src/activities/personal-data';

const applicant = {
  name: 'Maria Aparecida de Souza',
  cpf: '52998224725',
  email: 'maria.souza@example.com',
  phone: '11987654321',
  address: {
    street: 'Rua das Flores',
    number: '123',
    district: 'Pinheiros',
    city: 'São Paulo',
    zipCode: '05422010',
  },
};
const values = personalValues([{ input: { applicant, loan: { installments: 12 } } }]);

describe('personal values in activity arguments', () => {
  it('are found under the input, however deep, and nothing else is', () => {
    expect(values).toEqual(
      expect.arrayContaining([
        'Maria Aparecida de Souza',
        '52998224725',
        'maria.souza@example.com',
        'São Paulo',
      ]),
    );
    expect(values).not.toContain('123');
    expect(personalValues([{ envelopeId: 'env-1', signers: [{ index: 0, providerSignerId: 'p' }] }])).toEqual(
      [],
    );
  });
});

describe('redaction', () => {
  it.each([
    ['the whole name, in capitals', 'Parte MARIA APARECIDA DE SOUZA inválida'],
    ['a part of the name, without accents', 'Cliente Aparecida nao encontrada'],
    ['the CPF, formatted', 'CPF 529.982.247-25 já cadastrado'],
    ['the phone, formatted, with and without the area code', 'telefone (11) 98765-4321 ou 98765-4321'],
    ['the e-mail and its local part', 'email maria.souza@example.com (maria.souza)'],
    ['the street and the city without accents', 'Rua das Flores, Sao Paulo'],
    ['the CEP', 'CEP 05422-010'],
  ])('removes %s', (_what, text) => {
    const out = redactPersonal(text, values);
    for (const v of [
      'Maria',
      'MARIA',
      'Aparecida',
      'Souza',
      'SOUZA',
      '529',
      '98765',
      '4321',
      'maria.souza',
      'Flores',
      'Paulo',
      '05422',
    ])
      expect(out).not.toContain(v);
    expect(out).toContain('[redacted]');
  });

  it('keeps what is not personal', () => {
    expect(redactPersonal('Documento não encontrado (código 404)', values)).toBe(
      'Documento não encontrado (código 404)',
    );
  });
});
