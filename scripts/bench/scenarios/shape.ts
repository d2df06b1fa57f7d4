/**
 * The onboarding's shape, from the history of one happy-path onboarding, and the skeleton checked
 * against it: the same activities, upserts, timers, update and workflow tasks.
 */
import type { Bench } from '../context';
import { driveOnboarding, driveSkeleton, onboardingInput } from '../driver';
import { eventNames, historyOf } from '../history';
import { countsOf, shapeOf, type Shape, type ShapeCounts } from '../skeleton/shape';

export interface ShapeResult {
  shape: Shape;
  onboarding: ShapeCounts;
  /** With upserts and the task queues the onboarding used: its shape exactly. */
  skeleton: ShapeCounts;
  skeletonNoUpserts: ShapeCounts;
}

export async function readShape(b: Bench): Promise<ShapeResult> {
  const { stack, options, tag } = b;
  const input = onboardingInput(tag, b.next(), options.provider);
  await driveOnboarding(stack, input, { pollMs: options.pollMs });
  const events = await historyOf(stack.onboarding.handle(input.onboardingId));
  const shape = shapeOf(events, eventNames);
  const skeletonCounts = async (upserts: boolean): Promise<ShapeCounts> => {
    const id = `bench-${tag}-shape-${upserts ? 'u' : 'n'}`;
    await driveSkeleton(stack, id, shape, { upserts, queues: upserts }, { pollMs: options.pollMs });
    return countsOf(await historyOf(stack.plain.workflow.getHandle(id)), eventNames);
  };
  return {
    shape,
    onboarding: countsOf(events, eventNames),
    skeleton: await skeletonCounts(true),
    skeletonNoUpserts: await skeletonCounts(false),
  };
}
