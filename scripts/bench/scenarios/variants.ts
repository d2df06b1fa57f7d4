/**
 * What runs in the engine-ceiling and one-in-flight comparisons: three skeletons that add the
 * onboarding's features one at a time (search attribute upserts, then the task queues its activities
 * used: a provider's own where it has a rate limit),
 * and the onboarding itself.
 */
import type { Bench } from '../context';
import { driveOnboarding, driveSkeleton, onboardingInput, type RunRecord } from '../driver';
import type { Shape } from '../skeleton/shape';
import type { SkeletonOptions } from '../skeleton/workflows';

export interface Variant {
  name: string;
  /** Undefined for the onboarding. */
  skeleton?: SkeletonOptions;
}

export function variants(upserts: number): Variant[] {
  return [
    { name: 'skeleton, no upserts', skeleton: { upserts: false, queues: false } },
    { name: `skeleton, ${upserts} upserts`, skeleton: { upserts: true, queues: false } },
    { name: `skeleton, ${upserts} upserts, its queues`, skeleton: { upserts: true, queues: true } },
    { name: 'onboarding' },
  ];
}

/** One run of a variant; `id` tells where to read its history afterwards. */
export function runner(b: Bench, variant: Variant, shape: Shape): (i: number) => Promise<RunRecord> {
  const opts = { pollMs: b.options.pollMs };
  if (variant.skeleton === undefined)
    return () => driveOnboarding(b.stack, onboardingInput(b.tag, b.next(), b.options.provider), opts);
  const skeleton = variant.skeleton;
  return () => driveSkeleton(b.stack, `bench-${b.tag}-s${b.next()}`, shape, skeleton, opts);
}

/** The handle of a finished run, to read its history. */
export const handleOf = (b: Bench, variant: Variant, id: string) =>
  variant.skeleton === undefined ? b.stack.onboarding.handle(id) : b.stack.plain.workflow.getHandle(id);
