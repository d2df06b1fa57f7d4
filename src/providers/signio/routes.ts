/**
 * Where each documented call lives, shared by the client and the simulator so both agree.
 *
 * Decisions (the document names only the first six paths and those of 6.23 and 6.24):
 * - The older services (6.1 to 6.15, `codigo`/`mensaje`) are verbs under `/transacciones`, as the
 *   document's own `/transacciones/crear`...: POST with a JSON body. Reads without parameters are
 *   GET, and "Obtener/Gestionar Transacción" is `GET /transacciones/gestionar?id_transaccion=`, as
 *   public integrations of Signio call it.
 * - The newer services (6.16 to 6.24, `code`/`message`) are resources under `/envelopes`, as 6.23's
 *   `envelopes/:envelope_id/tve/:documento_id` shows; their parameters go in the URL when the
 *   document says so ("debe ser especificado en la url"), in the query for the 6.16 filters, else
 *   in a JSON body. 6.20 (link) and 6.22 (load TVE) list no envelope id but act on one: it is in the
 *   URL. 6.21 (per-tenant authentication) is `POST /auth`.
 * - `GET /archivos/:id_documento` is the simulator's "ruta pública del archivo" (6.11 `path`); the
 *   real provider gives its own URLs there, which the client fetches as given.
 */
export const SIGNIO_ROUTES = {
  createToken: { method: 'POST', path: '/token/crear' },
  authenticate: { method: 'POST', path: '/auth' },
  listTransactions: { method: 'POST', path: '/transacciones/listar' },
  listTags: { method: 'GET', path: '/tags/listar' },
  listBaseTransactions: { method: 'GET', path: '/transacciones/listar_base' },
  createTransaction: { method: 'POST', path: '/transacciones/crear' },
  uploadDocument: { method: 'POST', path: '/transacciones/cargar_documento' },
  registerSigner: { method: 'POST', path: '/transacciones/registrar_contacto' },
  linkSigner: { method: 'POST', path: '/transacciones/vincular' },
  changeDistributionOrder: { method: 'POST', path: '/transacciones/cambiar_orden' },
  distribute: { method: 'POST', path: '/transacciones/distribuir' },
  getTransaction: { method: 'GET', path: '/transacciones/gestionar' },
  returnTransaction: { method: 'POST', path: '/transacciones/devolver' },
  deleteTransaction: { method: 'POST', path: '/transacciones/eliminar' },
  protectDocument: { method: 'POST', path: '/transacciones/proteger_documento' },
  templateFields: { method: 'POST', path: '/transacciones/campos_plantillas' },
  searchEnvelopes: { method: 'GET', path: '/envelopes' },
  listTemplates: { method: 'GET', path: '/templates' },
  useTemplate: { method: 'POST', path: '/envelopes/:envelope_id/templates' },
  updateTemplateValues: { method: 'PUT', path: '/envelopes/:envelope_id/templates/:document_id' },
  getLink: { method: 'GET', path: '/envelopes/:envelope_id/link' },
  loadTve: { method: 'POST', path: '/envelopes/:envelope_id/tve' },
  editTve: { method: 'PUT', path: '/envelopes/:envelope_id/tve/:document_id' },
  getSignedUrl: { method: 'PUT', path: '/envelope/onpremise/get-signed-url' },
  file: { method: 'GET', path: '/archivos/:id_documento' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PUT'; path: string }>;

export type SignioOperation = keyof typeof SIGNIO_ROUTES;

/** The fault-rule name of a route, `METHOD /pattern`, as the simulator declares it. */
export const routeName = (operation: SignioOperation): string =>
  `${SIGNIO_ROUTES[operation].method} ${SIGNIO_ROUTES[operation].path}`;

/** A route's path with its `:params` filled (URL-encoded). */
export function routePath(operation: SignioOperation, params: Record<string, string> = {}): string {
  return SIGNIO_ROUTES[operation].path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing route parameter ${key}`);
    return encodeURIComponent(value);
  });
}
