/** The stages an onboarding passes through, in the order they usually come. */
export const stages = [
  'validating_input',
  'identity_check',
  'decision',
  'manual_review',
  'sms_token',
  'ccb_proposal',
  'signing',
  'waiting_signatures',
  'finalizing',
  'needs_attention',
  'compensating',
  'finished',
] as const;
export type Stage = (typeof stages)[number];
