/**
 * The document's own payloads against the schemas: the verbatim snippets (and why none of them is
 * valid JSON), and one answer per call built from the response tables, parsed by the real client
 * over HTTP (served by a fault rule in place of the simulator's own answer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutcome, codeError } from '../../src/providers/signio/codes';
import { DOCUMENTED_SNIPPETS, EXAMPLE_RESPONSES, REPAIRED_SNIPPETS } from '../fixtures/documents/signio';
import { routeName, type SignioOperation } from '../../src/providers/signio/routes';
import {
  metatagsSchema,
  stampPositionSchema,
  templateValuesSchema,
  transactionContactSchema,
  transactionDocumentSchema,
  transactionSignatureSchema,
} from '../../src/providers/signio/schemas';
import type { SignioClient } from '../../src/providers/signio';
import { answerNext } from '../helpers/simulators';
import { samplePdf, startSignio, type Harness } from './signio-support';

/** Makes the 6.11 item snippets JSON: escape the line break inside a string, drop trailing commas. */
const relaxed = (text: string): unknown =>
  JSON.parse(
    text
      .replace(/": "\n/g, '": "')
      .replace(/,\s*}/g, '}')
      .replace(/\u00a0/g, ' '),
  );

describe('snippets printed in the document', () => {
  it.each(Object.entries(DOCUMENTED_SNIPPETS))('%s is not valid JSON as printed', (_name, text) => {
    expect(() => JSON.parse(text)).toThrow();
  });

  it('the value snippets lost their colons (and 6.8 carries // comments); repaired, they parse', () => {
    expect(DOCUMENTED_SNIPPETS.templateValues).toContain('"name"""');
    expect(DOCUMENTED_SNIPPETS.metatags).toContain('"SigIDType"""');
    expect(DOCUMENTED_SNIPPETS.stampPosition).toContain('"pagina"1// Número de página');
    expect(templateValuesSchema.parse(REPAIRED_SNIPPETS.templateValues)).toEqual({
      name: '',
      identification: '',
    });
    expect(metatagsSchema.parse(REPAIRED_SNIPPETS.metatags)).toEqual({ rol: { SigIDType: '', SigID: '' } });
    expect(stampPositionSchema.parse(REPAIRED_SNIPPETS.stampPosition)).toEqual({
      pagina: 1,
      alto: 0,
      ancho: 0,
      x: 0,
      y: 0,
    });
  });

  it('the 6.11 item structures name exactly the fields the schemas read (" fecha_firma " trimmed)', () => {
    const doc = relaxed(DOCUMENTED_SNIPPETS.transactionDocument) as Record<string, unknown>;
    const contact = relaxed(DOCUMENTED_SNIPPETS.transactionContact) as Record<string, unknown>;
    const signature = relaxed(DOCUMENTED_SNIPPETS.transactionSignature) as Record<string, unknown>;
    expect(Object.keys(signature)).toContain(' fecha_firma ');

    // Their values are descriptions, not data: all-text items parse, typed ones show where.
    expect(Object.keys(transactionDocumentSchema.parse(doc)).sort()).toEqual(Object.keys(doc).sort());
    const contactIssues = transactionContactSchema
      .safeParse(contact)
      .error?.issues.map((i) => i.path.join('.'));
    expect(contactIssues?.sort()).toEqual(['aprobador', 'enable_comments', 'orden', 'tipo_firma']);
    const signatureIssues = transactionSignatureSchema
      .safeParse(signature)
      .error?.issues.map((i) => i.path.join('.'));
    expect(signatureIssues).toEqual(['aprobador']);

    // With values of the described types, the same keys parse, the spaced key included.
    const typed = transactionSignatureSchema.parse({ ...signature, aprobador: '0' });
    expect(typed.fecha_firma).toBe('fecha en la cual se realizó la firma / aprobación');
    const typedContact = transactionContactSchema.parse({
      ...contact,
      orden: '1',
      tipo_firma: 1,
      aprobador: '0',
      enable_comments: true,
    });
    expect(Object.keys(typedContact).sort()).toEqual(
      Object.keys(contact)
        .map((k) => k.trim())
        .sort(),
    );
  });
});

describe('one answer per call, from the response tables, through the client', () => {
  let h: Harness;
  let envelope: string;
  beforeAll(async () => {
    h = await startSignio();
    envelope = await h.client.createTransaction({ nombre: 'Ejemplos' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const TX = EXAMPLE_RESPONSES.getTransaction.id_transaccion;
  const DOC = EXAMPLE_RESPONSES.uploadDocument.id_documento;
  const SIGNER = EXAMPLE_RESPONSES.registerSigner.id_firmante;

  /** The next call of `operation` is answered with the document's example `example`. */
  const answerWithExample = (operation: SignioOperation, example: keyof typeof EXAMPLE_RESPONSES) =>
    answerNext(h.baseUrl, routeName(operation), 200, { body: EXAMPLE_RESPONSES[example] });

  const calls: Array<
    [SignioOperation, keyof typeof EXAMPLE_RESPONSES, (c: SignioClient) => Promise<unknown>]
  > = [
    ['authenticate', 'authenticate', (c) => c.authenticate()],
    ['listTransactions', 'listTransactions', (c) => c.listTransactions()],
    ['listTags', 'listTags', (c) => c.listTags()],
    ['listBaseTransactions', 'listBaseTransactions', (c) => c.listBaseTransactions()],
    ['createTransaction', 'createTransaction', (c) => c.createTransaction({ nombre: 'x' })],
    [
      'uploadDocument',
      'uploadDocument',
      (c) => c.uploadDocument({ id_transaccion: envelope, fileName: 'a.pdf' }, samplePdf()),
    ],
    [
      'registerSigner',
      'registerSigner',
      (c) =>
        c.registerSigner({
          id_transaccion: TX,
          nombre: 'n',
          tipo_identificacion: 'CC',
          identificacion: '1',
          email: 'e@x.co',
        }),
    ],
    [
      'linkSigner',
      'linkSigner',
      (c) => c.linkSigner({ id_transaccion: TX, id_firmante: SIGNER, id_documento: DOC }),
    ],
    [
      'changeDistributionOrder',
      'changeDistributionOrder',
      (c) => c.changeDistributionOrder({ id_transaccion: TX, id_firmante: SIGNER, orden: 2 }),
    ],
    ['distribute', 'distribute', (c) => c.distribute(TX)],
    ['getTransaction', 'getTransaction', (c) => c.getTransaction(TX)],
    ['returnTransaction', 'returnTransaction', (c) => c.returnTransaction(TX)],
    ['deleteTransaction', 'deleteTransaction', (c) => c.deleteTransaction(TX)],
    ['protectDocument', 'protectDocument', (c) => c.protectDocument(DOC, true)],
    ['templateFields', 'templateFields', (c) => c.templateFields(TX)],
    ['searchEnvelopes', 'searchEnvelopes', (c) => c.searchEnvelopes({ status: 'Firmada' })],
    ['listTemplates', 'listTemplates', (c) => c.listTemplates()],
    ['useTemplate', 'useTemplate', (c) => c.useTemplate(TX, { template_id: 7 })],
    ['updateTemplateValues', 'updateTemplateValues', (c) => c.updateTemplateValues(TX, DOC, { name: 'x' })],
    ['getLink', 'getLink', (c) => c.getLink(TX)],
    ['loadTve', 'loadTve', (c) => c.loadTve(TX, { type: 'BLANK', template_id: 2 })],
    ['editTve', 'editTve', (c) => c.editTve(TX, DOC, { type: 'BLANK' })],
    [
      'getSignedUrl',
      'getSignedUrl',
      (c) => c.getSignedUrl({ document_type: 'CC', document: '1', transaction_id: TX }),
    ],
  ];

  it.each(calls)('%s', async (operation, example, call) => {
    await answerWithExample(operation, example);
    const hits = h.sim.hits.get(routeName(operation)) ?? 0;
    await call(h.client);
    expect(h.sim.hits.get(routeName(operation))).toBe(hits + 1);
  });

  it('reads what the examples mean', async () => {
    await answerWithExample('getTransaction', 'getTransaction');
    await answerWithExample('authenticate', 'authenticate');
    await answerWithExample('listTags', 'listTags');
    const tx = await h.client.getTransaction(TX);
    expect(tx).toMatchObject({
      ciclo_aprobacion: false,
      contactos: [{ orden: 1, aprobador: false, tipo_firma: false }],
      firmas: [{ id_firmante: SIGNER, fecha_firma: '2025-03-10 12:00:00', aprobador: false }],
    });
    expect(tx.estado).toBeUndefined();
    // Both date-time forms are UTC.
    const tokens = await h.client.authenticate();
    expect(tokens.map((t) => t.expires_at)).toEqual([
      Date.parse('2025-03-10T14:30:00Z'),
      Date.parse('2025-03-10T14:30:00Z'),
    ]);
    expect(await h.client.listTags()).toEqual([
      { id: undefined, nombre: 'Crédito' },
      { id: '2', nombre: 'CCB' },
    ]);
  });

  it('without estado in 6.11, the state comes from the 6.2 list', async () => {
    await answerWithExample('getTransaction', 'getTransaction');
    await answerWithExample('listTransactions', 'listTransactions');
    expect(await h.client.transactionState(TX)).toBe(2);
  });

  it('the 05 answer with errores becomes a final error naming the field', () => {
    const outcome = readOutcome(EXAMPLE_RESPONSES.createTransactionRejected);
    const err = codeError('createTransaction', outcome, 200, undefined);
    expect(err).toMatchObject({ providerCode: '05', retryable: false, kind: 'business' });
    expect(err.providerMessage).toBe('Contenido no procesable: nombre: El campo nombre es obligatorio.');
  });
});
