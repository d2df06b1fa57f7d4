/**
 * Repair: a provider call that failed in a way a person can fix parks the onboarding in
 * `needs_attention` instead of ending it, and an operator acts: retry the step, retry it with
 * corrected fields, or abandon. Plain types and checks (the workflow bundle holds no zod); the HTTP
 * API's schemas are in src/http/api/repair-schemas.ts. docs/repair.md has the table of failures.
 */
import type { Principal } from './principal';

/** The steps whose provider calls park the onboarding when they fail. */
export const repairableSteps = ['identity_check', 'ccb_proposal', 'signing', 'finalizing'] as const;
export type RepairableStep = (typeof repairableSteps)[number];

export const repairActions = ['retry', 'correct', 'abandon'] as const;
export type RepairAction = (typeof repairActions)[number];

/**
 * The fields a step's retry may correct, and only those: what that step sends the provider. The
 * applicant's CPF and a signer's CPF and role are who the onboarding is about: a different one is a
 * new onboarding.
 */
export const correctableFields = {
  identity_check: { applicant: ['name', 'phone', 'email', 'birthDate', 'address'] },
  ccb_proposal: { loan: ['templateKey', 'installments', 'terms'] },
  signing: { signers: ['name', 'email', 'phone', 'birthDate'] },
  finalizing: {},
} as const satisfies Record<
  RepairableStep,
  Partial<Record<'applicant' | 'loan' | 'signers', readonly string[]>>
>;

/**
 * Corrected fields, in the input's own shape: `applicant` and `loan` hold the fields to replace
 * (a loan's `terms` replace only the terms named); `signers` names each signer by its index.
 */
export interface Corrections {
  applicant?: Record<string, unknown>;
  loan?: Record<string, unknown>;
  signers?: Array<{ index: number } & Record<string, unknown>>;
}

/** The `repair` update's command: what to do, why, and who (the path that sent it authenticated it). */
export interface RepairCommand {
  action: RepairAction;
  /** Why, in the operator's words: kept in the onboarding's record (at most 500 characters). */
  reason: string;
  /** For `correct`: the fields to replace. */
  corrections?: Corrections;
  principal: Principal;
}

/** The `repair` update's answer. */
export interface RepairAnswer {
  action: RepairAction;
  /** The stage the onboarding goes back to (a retry), or `finished` (abandon). */
  next: string;
}

/** Why the onboarding waits for a person, as its status and the Web UI show it (no personal data). */
export interface Attention {
  step: RepairableStep;
  /** The provider and call that failed, where the failure names them. */
  provider?: string;
  call?: string;
  /** The provider's HTTP status, where it answered with one. */
  status?: number;
  /** The failure, in one line, with personal data removed. */
  failure: string;
  since: string;
  deadline: string;
  /** The actions this step allows: `correct` only where the step has correctable fields. */
  actions: RepairAction[];
}

/** A repair as the onboarding records it. */
export interface RepairRecord {
  step: RepairableStep;
  action: RepairAction;
  reason: string;
  principal: Principal;
  at: string;
  /** The fields corrected (their names, never their values). */
  corrected?: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why `corrections` cannot apply to `step` (undefined when they can): a field the step does not
 * use, or a shape that is not the input's. The values themselves are checked as the input is, by
 * the input check, once merged.
 */
export function correctionsRefusal(step: RepairableStep, corrections: unknown): string | undefined {
  if (!isRecord(corrections)) return 'corrections must be an object';
  const allowed = correctableFields[step] as Partial<Record<string, readonly string[]>>;
  for (const [part, value] of Object.entries(corrections)) {
    const fields = allowed[part];
    if (fields === undefined) return `${step} cannot correct ${part}`;
    const entries = part === 'signers' ? (Array.isArray(value) ? value : [undefined]) : [value];
    for (const entry of entries) {
      if (!isRecord(entry))
        return `corrections.${part} must be ${part === 'signers' ? 'a list of objects' : 'an object'}`;
      for (const field of Object.keys(entry)) {
        if (part === 'signers' && field === 'index') continue;
        if (!fields.includes(field)) return `${step} cannot correct ${part}.${field}`;
      }
      if (part === 'signers' && !(Number.isInteger(entry['index']) && (entry['index'] as number) >= 0))
        return 'corrections.signers[].index must name a signer by its position';
    }
  }
  if (Object.keys(corrections).length === 0) return 'corrections are empty';
  return undefined;
}

/** The names of the fields `corrections` replace, for the record: `applicant.phone`, `signers[1].email`. */
export function correctedFieldNames(corrections: Corrections): string[] {
  const names: string[] = [];
  for (const [part, value] of Object.entries(corrections)) {
    if (part === 'signers' && Array.isArray(value)) {
      for (const signer of value as Array<Record<string, unknown>>)
        for (const field of Object.keys(signer))
          if (field !== 'index') names.push(`signers[${String(signer['index'])}].${field}`);
    } else if (isRecord(value)) {
      for (const field of Object.keys(value))
        if (part === 'loan' && field === 'terms' && isRecord(value['terms']))
          for (const term of Object.keys(value['terms'])) names.push(`loan.terms.${term}`);
        else names.push(`${part}.${field}`);
    }
  }
  return names;
}

/** `draft` with `corrections` applied: the input the corrected step runs on, before it is checked again. */
export function applyCorrections<T extends Record<string, unknown>>(draft: T, corrections: Corrections): T {
  const next: Record<string, unknown> = { ...draft };
  if (corrections.applicant && isRecord(draft['applicant']))
    next['applicant'] = { ...draft['applicant'], ...corrections.applicant };
  if (corrections.loan && isRecord(draft['loan'])) {
    const loan = draft['loan'];
    const terms = corrections.loan['terms'];
    next['loan'] = {
      ...loan,
      ...corrections.loan,
      ...(isRecord(terms) && isRecord(loan['terms']) ? { terms: { ...loan['terms'], ...terms } } : {}),
    };
  }
  if (corrections.signers && Array.isArray(draft['signers'])) {
    const signers = [...(draft['signers'] as unknown[])];
    for (const { index, ...fields } of corrections.signers)
      if (isRecord(signers[index])) signers[index] = { ...signers[index], ...fields };
    next['signers'] = signers;
  }
  return next as T;
}
