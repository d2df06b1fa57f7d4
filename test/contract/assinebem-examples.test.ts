/**
 * The document's own examples: as published they are not JSON (single quotes, placeholders,
 * comments, `None`); their faithful corrections parse with the schemas.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  correctedExamples,
  correctedParteEnvio,
  rawExamples,
  rawParteEnvio,
} from '../fixtures/documents/assinebem';
import {
  apiStatusSchema,
  attachmentsResponseSchema,
  costCentresResponseSchema,
  documentoRetornoSchema,
  identifierResponseSchema,
  invalidateAttachmentResponseSchema,
  newAccessResponseSchema,
  parteEnvioSchema,
  parteRetornoSchema,
  partyStatusResponseSchema,
  signatureStatusResponseSchema,
  signerUrlResponseSchema,
  templatesResponseSchema,
} from '../../src/providers/assinebem/schemas';

const schemas: Record<keyof typeof rawExamples, z.ZodType> = {
  identifier: identifierResponseSchema,
  documentoRetorno: documentoRetornoSchema,
  invalidar: apiStatusSchema,
  parteStatus: partyStatusResponseSchema,
  parteAtualizar: parteRetornoSchema,
  novoAcesso: newAccessResponseSchema,
  assinaturaStatus: signatureStatusResponseSchema,
  modelos: templatesResponseSchema,
  anexos: attachmentsResponseSchema,
  anexoAprovado: apiStatusSchema,
  anexoInvalidar: invalidateAttachmentResponseSchema,
  centrosCusto: costCentresResponseSchema,
  parteUrl: signerUrlResponseSchema,
};

describe("the document's example answers", () => {
  it.each(Object.keys(rawExamples) as Array<keyof typeof rawExamples>)(
    '%s is not valid JSON as published',
    (name) => {
      expect(() => JSON.parse(rawExamples[name])).toThrow(SyntaxError);
    },
  );

  it.each(Object.keys(rawExamples) as Array<keyof typeof rawExamples>)('%s parses once corrected', (name) => {
    const parsed = schemas[name].safeParse(correctedExamples[name]);
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('numbers sent as strings come out as numbers', () => {
    expect(partyStatusResponseSchema.parse(correctedExamples.parteStatus).id_status).toBe(1);
    expect(templatesResponseSchema.parse(correctedExamples.modelos).modelos[0]?.id_externo).toBe(12);
    expect(
      costCentresResponseSchema.parse(correctedExamples.centrosCusto).centros_custo[0]?.id_centro_custo,
    ).toBe(3);
    expect(invalidateAttachmentResponseSchema.parse(correctedExamples.anexoInvalidar).reenviado).toBe(1);
    const url = signerUrlResponseSchema.parse(correctedExamples.parteUrl);
    expect([url.assinatura, url.validacao]).toEqual([1, 0]);
    const doc = documentoRetornoSchema.parse(correctedExamples.documentoRetorno).documento;
    expect(doc.quadro_assinaturas).toBe(1);
    expect(doc.lista_partes[0]?.telefone).toBe('11112222');
  });

  it("the example's placeholder values are rejected where they would mislead", () => {
    // No status table is published: `id_documento_status: 9` is read (as a hint only), but
    // `id_status: 'ID'` is no integer at all.
    const nine = structuredClone(correctedExamples.documentoRetorno);
    nine.documento.id_documento_status = 9;
    expect(documentoRetornoSchema.safeParse(nine).success).toBe(true);
    expect(
      partyStatusResponseSchema.safeParse({ ...correctedExamples.parteStatus, id_status: 'ID' }).success,
    ).toBe(false);
    // `'url': 'STRING (URL ABSOLUTA)'` is not a URL; `'assinatura': 'INTEIRO'` is not 0 or 1.
    expect(
      signerUrlResponseSchema.safeParse({ ...correctedExamples.parteUrl, url: 'STRING (URL ABSOLUTA)' })
        .success,
    ).toBe(false);
    expect(
      signerUrlResponseSchema.safeParse({ ...correctedExamples.parteUrl, assinatura: 'INTEIRO' }).success,
    ).toBe(false);
  });

  it('nulls (the example writes Python None) and absent lists are tolerated', () => {
    const parsed = attachmentsResponseSchema.parse({ status_api: 200, documento: null });
    expect(parsed.anexos).toEqual([]);
    expect(parsed.documento).toBeNull();
  });
});

describe("the document's ParteEnvio example", () => {
  it('is not valid JSON as published, and parses once corrected', () => {
    expect(() => JSON.parse(rawParteEnvio)).toThrow(SyntaxError);
    const parsed = parteEnvioSchema.parse(correctedParteEnvio);
    expect(parsed).toMatchObject({
      nome: 'Joao da Silva',
      ddd: 99,
      telefone: '11112222',
      pessoa_preenche_dados: 0,
    });
  });

  it('needs a name for a new party, or the id_externo of an existing one', () => {
    expect(parteEnvioSchema.safeParse({ cpf: '52998224725' }).success).toBe(false);
    expect(parteEnvioSchema.safeParse({ id_externo: 'abc' }).success).toBe(true);
  });
});
