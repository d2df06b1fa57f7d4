/**
 * What the providers hold after a chaos run, read from each simulator's `GET /_simulator/state`:
 * every object created, attributed to the onboarding it belongs to by the keys the product derives
 * from the onboarding id (Data Trust reference, proposal number, Assine Bem file identification,
 * Signio external id), and the envelopes still open for signing.
 *
 * Expected per onboarding, from src/activities and src/providers/<name>/signing.ts, with one
 * signer (the applicant): one Data Trust transaction and one SMS; one Securities proposal with its
 * rendered document; then, by signing provider,
 *   securities: the applicant as one Securities signer bound by one list to the proposal's document;
 *   assinebem:  one Assine Bem document with one party, and the signed PDF registered as one
 *               Securities bank credit note (with a document of its own);
 *   signio:     one Signio transaction with one document, one signer and one link.
 */
import { workflowIdFor } from '../../src/messages';
import { fileIdentification } from '../../src/providers/assinebem/signing';
import { isFinalDocumentStatus, type DocumentStatusId } from '../../src/providers/assinebem/statuses';
import { dataTrustReference, proposalNumber } from '../../src/providers/idempotency';
import type { SigningProviderName } from '../../src/providers/registry';

export interface DataTrustState {
  counts: Record<string, number>;
  transactions: Array<{ ID: string; AdditionalInformation?: { Transaction?: string } | null }>;
  sms: Array<{ transactionId: string }>;
}
interface SecuritiesDocument {
  id: string;
  key: string;
  status: string;
}
export interface SecuritiesState {
  counts: Record<string, number>;
  proposals: Array<{ number: string; documents: SecuritiesDocument[] }>;
  documents: SecuritiesDocument[];
  signers: Array<{ id: string }>;
  lists: Array<{ signer_id: string; document_id: string }>;
  bankCreditNotes: Array<{ number: string; documents: SecuritiesDocument[] }>;
}
export interface AssineBemState {
  counts: Record<string, number>;
  documents: Array<{
    id_externo: string;
    identificacao_arquivo: string;
    id_documento_status: DocumentStatusId;
    lista_partes: unknown[];
  }>;
}
export interface SignioState {
  counts: Record<string, number>;
  transactions: Array<{
    id: string;
    external_id?: string;
    estado: number;
    deleted: boolean;
    documents: unknown[];
    contacts: unknown[];
    links: unknown[];
  }>;
}
export interface ProviderStates {
  datatrust: DataTrustState;
  securities: SecuritiesState;
  assinebem: AssineBemState;
  signio: SignioState;
}

export interface RunOnboarding {
  onboardingId: string;
  provider: SigningProviderName;
  completed: boolean;
}

/** Finds the run's onboarding behind each key the product derives from an onboarding id. */
class Owners {
  private readonly byKey = new Map<string, string>();
  constructor(onboardings: RunOnboarding[], smsResends = 5) {
    for (const { onboardingId } of onboardings) {
      const workflowId = workflowIdFor(onboardingId);
      for (let attempt = 0; attempt <= smsResends; attempt++)
        this.byKey.set(`datatrust:${dataTrustReference(workflowId, attempt)}`, onboardingId);
      this.byKey.set(`proposal:${proposalNumber(onboardingId)}`, onboardingId);
      this.byKey.set(`assinebem:${fileIdentification(onboardingId)}`, onboardingId);
      this.byKey.set(`workflow:${workflowId}`, onboardingId);
    }
  }
  of(kind: 'datatrust' | 'proposal' | 'assinebem' | 'workflow', key: string | undefined | null) {
    return key === undefined || key === null ? undefined : this.byKey.get(`${kind}:${key}`);
  }
}

export interface ObjectTally {
  /** e.g. `Securities proposals`. */
  name: string;
  /** Expected per onboarding, by signing provider. */
  expected: Record<SigningProviderName, number>;
  /** Objects found, per onboarding. */
  perOnboarding: Map<string, number>;
  /** Objects of no onboarding of this run. */
  unattributed: number;
  /** What the simulator's `counts` says it created. */
  counted: number;
}

export interface OpenEnvelope {
  provider: SigningProviderName;
  envelopeId: string;
  onboardingId: string | undefined;
}

const per = (securities: number, assinebem: number, signio: number) => ({ securities, assinebem, signio });

function tally(
  name: string,
  expected: Record<SigningProviderName, number>,
  owners: Array<string | undefined>,
  counted: number | undefined,
): ObjectTally {
  const perOnboarding = new Map<string, number>();
  let unattributed = 0;
  for (const owner of owners) {
    if (owner === undefined) unattributed += 1;
    else perOnboarding.set(owner, (perOnboarding.get(owner) ?? 0) + 1);
  }
  return { name, expected, perOnboarding, unattributed, counted: counted ?? NaN };
}

/** Every kind of object the onboarding creates, counted per onboarding. */
export function tallyObjects(states: ProviderStates, onboardings: RunOnboarding[]): ObjectTally[] {
  const owners = new Owners(onboardings);
  const { datatrust, securities, assinebem, signio } = states;

  const transactionOwner = new Map(
    datatrust.transactions.map((t) => [t.ID, owners.of('datatrust', t.AdditionalInformation?.Transaction)]),
  );
  // Securities documents belong to the proposal or the bank credit note that holds them.
  const documentOwner = new Map<string, string | undefined>();
  for (const p of securities.proposals)
    for (const d of p.documents) documentOwner.set(d.id, owners.of('proposal', p.number));
  for (const n of securities.bankCreditNotes)
    for (const d of n.documents) documentOwner.set(d.id, owners.of('proposal', n.number));
  const boundSigners = new Map<string, string | undefined>();
  for (const l of securities.lists) boundSigners.set(l.signer_id, documentOwner.get(l.document_id));
  const signioOwner = (t: SignioState['transactions'][number]) =>
    owners.of('workflow', t.external_id?.split('~')[0]);
  const assineBemOwner = (d: AssineBemState['documents'][number]) =>
    owners.of('assinebem', d.identificacao_arquivo);

  return [
    tally(
      'Data Trust transactions',
      per(1, 1, 1),
      datatrust.transactions.map((t) => transactionOwner.get(t.ID)),
      datatrust.counts['transactions'],
    ),
    tally(
      'Data Trust SMS sent',
      per(1, 1, 1),
      datatrust.sms.map((s) => transactionOwner.get(s.transactionId)),
      datatrust.counts['smsSent'],
    ),
    tally(
      'Securities proposals',
      per(1, 1, 1),
      securities.proposals.map((p) => owners.of('proposal', p.number)),
      securities.counts['proposals'],
    ),
    tally(
      'Securities documents',
      per(1, 2, 1),
      securities.documents.map((d) => documentOwner.get(d.id)),
      securities.counts['documents'],
    ),
    tally(
      'Securities signers',
      per(1, 0, 0),
      // A signer bound to no document belongs to no onboarding.
      securities.signers.map((s) => boundSigners.get(s.id)),
      securities.counts['signers'],
    ),
    tally(
      'Securities lists',
      per(1, 0, 0),
      securities.lists.map((l) => documentOwner.get(l.document_id)),
      securities.counts['lists'],
    ),
    tally(
      'Securities bank credit notes',
      per(0, 1, 0),
      securities.bankCreditNotes.map((n) => owners.of('proposal', n.number)),
      securities.counts['bankCreditNotes'],
    ),
    tally(
      'Assine Bem documents',
      per(0, 1, 0),
      assinebem.documents.map(assineBemOwner),
      assinebem.counts['documents'],
    ),
    tally(
      'Assine Bem parties',
      per(0, 1, 0),
      assinebem.documents.flatMap((d) => d.lista_partes.map(() => assineBemOwner(d))),
      assinebem.counts['parties'],
    ),
    tally(
      'Signio transactions',
      per(0, 0, 1),
      signio.transactions.map(signioOwner),
      signio.counts['transactions'],
    ),
    tally(
      'Signio documents',
      per(0, 0, 1),
      signio.transactions.flatMap((t) => t.documents.map(() => signioOwner(t))),
      signio.counts['documents'],
    ),
    tally(
      'Signio signers',
      per(0, 0, 1),
      signio.transactions.flatMap((t) => t.contacts.map(() => signioOwner(t))),
      signio.counts['signers'],
    ),
    tally(
      'Signio links',
      per(0, 0, 1),
      signio.transactions.flatMap((t) => t.links.map(() => signioOwner(t))),
      signio.counts['links'],
    ),
  ];
}

/** Signio states in which an envelope can still be signed or is an unsent draft (src/providers/signio/signing.ts). */
const SIGNIO_OPEN = new Set([1, 2, 6, 7]);

/** Envelopes that can still be signed: Securities documents with signers bound and not closed, Assine Bem
 * documents not signed, invalidated or refused, Signio envelopes not deleted, signed or rejected. */
export function openEnvelopes(states: ProviderStates, onboardings: RunOnboarding[]): OpenEnvelope[] {
  const owners = new Owners(onboardings);
  const open: OpenEnvelope[] = [];
  const { securities, assinebem, signio } = states;
  const bound = new Set(securities.lists.map((l) => l.document_id));
  for (const p of securities.proposals)
    for (const d of p.documents)
      if (bound.has(d.id) && d.status === 'created')
        open.push({
          provider: 'securities',
          envelopeId: d.key,
          onboardingId: owners.of('proposal', p.number),
        });
  for (const d of assinebem.documents)
    if (!isFinalDocumentStatus(d.id_documento_status))
      open.push({
        provider: 'assinebem',
        envelopeId: d.id_externo,
        onboardingId: owners.of('assinebem', d.identificacao_arquivo),
      });
  for (const t of signio.transactions)
    if (!t.deleted && SIGNIO_OPEN.has(t.estado))
      open.push({
        provider: 'signio',
        envelopeId: t.id,
        onboardingId: owners.of('workflow', t.external_id?.split('~')[0]),
      });
  return open;
}

/** The rules broken: an object created twice (or for nobody), counts that disagree, envelopes left open. */
export function objectViolations(
  tallies: ObjectTally[],
  open: OpenEnvelope[],
  onboardings: RunOnboarding[],
): string[] {
  const violations: string[] = [];
  for (const t of tallies) {
    for (const o of onboardings) {
      const seen = t.perOnboarding.get(o.onboardingId) ?? 0;
      const expected = t.expected[o.provider];
      // An onboarding that did not complete may have stopped before creating everything.
      if (seen === expected || (!o.completed && seen < expected)) continue;
      violations.push(`${o.onboardingId} (${o.provider}): ${seen} ${t.name}, expected ${expected}`);
    }
    if (t.unattributed > 0) violations.push(`${t.unattributed} ${t.name} belong to no onboarding`);
    const listed = [...t.perOnboarding.values()].reduce((a, b) => a + b, 0) + t.unattributed;
    if (listed !== t.counted)
      violations.push(`${t.name}: the simulator counted ${t.counted}, holds ${listed}`);
  }
  const completed = new Set(onboardings.filter((o) => o.completed).map((o) => o.onboardingId));
  for (const e of open) {
    const whose =
      e.onboardingId === undefined
        ? 'no onboarding'
        : `${e.onboardingId}, ${completed.has(e.onboardingId) ? 'completed' : 'not completed'}`;
    violations.push(`${e.provider} envelope ${e.envelopeId} left open (${whose})`);
  }
  return violations;
}
