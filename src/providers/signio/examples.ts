/**
 * The document's example payloads. Its "EJEMPLO RESPUESTA" sections are empty in this copy (the
 * examples were images), so two kinds of examples live here:
 *
 * 1. `DOCUMENTED_SNIPPETS`: every JSON fragment the document prints, copied verbatim. None of them
 *    is valid JSON (colons lost, `//` comments, trailing commas, a line break inside a string,
 *    descriptions where values go); the tests show why, and parse the repaired values in
 *    `REPAIRED_SNIPPETS` with the schemas.
 * 2. `EXAMPLE_RESPONSES`: one answer per call, built from the document's response tables (field
 *    names and types as documented, values illustrative, no real person's data).
 */

/** Verbatim from seed 003. */
export const DOCUMENTED_SNIPPETS = {
  /** 6.5 `campos_plantillas` (also 6.18 and 6.19 `fields`). */
  templateValues: '{\n\n    "name""",\n\n    "identification"""\n\n}',
  /** 6.6 `metatags`. */
  metatags: '{\n\n  "rol": {\n\n    "SigIDType""",\n\n    "SigID"""\n\n  }\n\n}',
  /** 6.8 `posicion` (and each item of `stamps`). */
  stampPosition:
    '{\n\n    "pagina"1// Número de página\n\n    "alto"0// Valor en pixeles\n\n    "ancho"0// Valor en pixeles\n\n    "x"0// Coordenadas tipo canvas[a1] \n\n    "y": 0 // Coordenadas tipo canvas\n\n}',
  /** 6.11 an item of `documentos`. */
  transactionDocument:
    '{\n"id_documento": "Identificador del documento cargado",\n"nombre": "Nombre del archivo",\n"path": "Ruta pública del archivo"\n }',
  /** 6.11 an item of `contactos`. */
  transactionContact:
    '{\n"id_contacto": "Identificador del firmante / aprobador agregado",\n"tipo_identificacion": "Cadena de 3 caracteres con los siguientes valores (CC: Cedula de Ciudadanía, CE: Cedula de extranjería, NIT: NIT de la empresa, PS: Pasaporte).",\n"identificacion": "Cadena de máximo 20 caracteres que referencian el número de identificación ",\n"nombre": "Cadena de máximo 50 caracteres que referencian el nombre del firmante de la transacción.",\n"email": "Cadena de máximo 50 caracteres que referencian el correo electrónico del firmante.",\n"orden": "Orden en el cual esta persona firmará/aprobará en esta transacción ",\n"tipo_firma": "Digito numérico que indica si la firma es electrónica y digital (1: Firma Digital, 0: Firma Electrónica)",\n"aprobador": "Digito numérico que indica si el contacto realizará el rol de aprobador",\n   "enable_comments": "\n Tipo de dato lógico, indica si el firmante / aprobador tiene habilitada la opción de agregar un comentario al momento de realizar el proceso de firma",\n }',
  /** 6.11 an item of `firmas`. */
  transactionSignature:
    '{\n"id_firmante": "Identificador del firmante / aprobador agregado",\n"id_documento": "identificador del documento cargado",\n"aprobador": "Digito que india que si este registro indica si se realizó una aprobación al documento",\n" fecha_firma ": "fecha en la cual se realizó la firma / aprobación",\n }',
} as const;

/** The snippets above as the document means them: colons restored, comments dropped, values typed. */
export const REPAIRED_SNIPPETS = {
  templateValues: { name: '', identification: '' },
  metatags: { rol: { SigIDType: '', SigID: '' } },
  stampPosition: { pagina: 1, alto: 0, ancho: 0, x: 0, y: 0 },
} as const;

const TX = '3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a1b';
const DOC = 'eyJpdiI6IkZ4c1dQZ2x6T1E9PSIsInZhbHVlIjoiZG9jdW1lbnRvLTEifQ';
const SIGNER = 'eyJpdiI6IlF3ZXJ0eVE9PSIsInZhbHVlIjoiZmlybWFudGUtMSJ9';

/** One answer per call, from the response tables. */
export const EXAMPLE_RESPONSES = {
  createToken: {
    token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
    codigo: '00',
    mensaje: 'Operación correcta',
  },
  authenticate: {
    tokens: [
      {
        token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.dGVuYW50LWE',
        tenant: 'financiera-a',
        expires_at: '2025-03-10 14:30:00',
      },
      {
        token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.dGVuYW50LWI',
        tenant: 'financiera-b',
        expires_at: '2025-03-10T14:30:00+00:00',
      },
    ],
    code: '00',
    message: 'Operación correcta',
  },
  listTransactions: {
    transacciones: [{ id_transaccion: TX, nombre: 'CCB 000123', estado: '2' }],
    codigo: '00',
    mensaje: 'Operación correcta',
  },
  listTags: { tags: ['Crédito', { id: 2, nombre: 'CCB' }], codigo: '00', mensaje: 'Operación correcta' },
  listBaseTransactions: {
    transacciones: [{ id_transaccion: '0b8e2f7c-5d1a-4c3b-9e8f-7a6b5c4d3e2f', nombre: 'Contrato base' }],
    codigo: '00',
    mensaje: 'Operación correcta',
  },
  createTransaction: { id_transaccion: TX, codigo: '00', mensaje: 'Operación correcta', errores: [] },
  createTransactionRejected: {
    id_transaccion: '0',
    codigo: '05',
    mensaje: 'Contenido no procesable',
    errores: { nombre: ['El campo nombre es obligatorio.'] },
  },
  uploadDocument: { id_documento: DOC, codigo: '00', mensaje: 'Operación correcta' },
  registerSigner: { id_firmante: SIGNER, codigo: '00', mensaje: 'Operación correcta' },
  linkSigner: { codigo: '00', mensaje: 'Operación correcta' },
  changeDistributionOrder: { codigo: '00', mensaje: 'Operación correcta' },
  distribute: { codigo: '00', mensaje: 'Operación correcta' },
  getTransaction: {
    id_transaccion: TX,
    nombre: 'CCB 000123',
    ciclo_aprobacion: '0',
    documentos: [
      {
        id_documento: DOC,
        nombre: 'ccb-000123.pdf',
        path: 'https://signio.example.com/archivos/ccb-000123.pdf',
      },
    ],
    contactos: [
      {
        id_contacto: SIGNER,
        tipo_identificacion: 'OT',
        identificacion: '00000000000',
        nombre: 'Titular de ejemplo',
        email: 'titular@example.com',
        orden: '1',
        tipo_firma: 0,
        aprobador: '0',
        enable_comments: false,
      },
    ],
    firmas: [
      { id_firmante: SIGNER, id_documento: DOC, aprobador: 0, ' fecha_firma ': '2025-03-10 12:00:00' },
    ],
    codigo: '00',
    mensaje: 'Operación correcta',
  },
  returnTransaction: { codigo: '00', mensaje: 'Operación correcta' },
  deleteTransaction: { codigo: '00', mensaje: 'Operación correcta' },
  /** 6.14 types `mensaje` as Bool. */
  protectDocument: { codigo: '00', mensaje: true },
  templateFields: {
    codigo: '00',
    campos: [{ name: 'name' }, { nombre: 'identification', tipo: 'text' }],
    mensaje: 'Operación correcta',
  },
  searchEnvelopes: {
    envelopes: [
      {
        id: TX,
        name: 'CCB 000123',
        status: 'Pendiente de Firma',
        created_at: '2025-03-10T12:00:00+00:00',
        updated_at: '2025-03-10T12:05:00+00:00',
        documents_count: 1,
      },
    ],
    code: '00',
    message: 'Operación correcta',
  },
  listTemplates: {
    templates: [
      {
        id: 7,
        name: 'CCB Persona Natural',
        description: 'Cédula de Crédito Bancário',
        type: 'PLL',
        status: 1,
        protected: false,
        roles: 'deudor,codeudor',
        created_at: '2025-01-02T10:00:00+00:00',
      },
    ],
    code: '00',
    message: 'Operación correcta',
  },
  useTemplate: {
    code: '00',
    document: { id: DOC, name: 'CCB Persona Natural.pdf' },
    message: 'Operación correcta',
  },
  updateTemplateValues: {
    code: '00',
    document: { id: DOC, name: 'CCB Persona Natural.pdf' },
    message: 'Operación correcta',
  },
  getLink: {
    magic_link: 'https://signio.example.com/magic/abc123',
    code: '00',
    message: 'Operación correcta',
  },
  loadTve: { code: '00', document_id: DOC, message: 'Operación correcta' },
  editTve: { code: '00', document_id: DOC, message: 'Operación correcta' },
  getSignedUrl: { url: 'https://signio.example.com/onpremise/firmar/abc123' },
} as const;
