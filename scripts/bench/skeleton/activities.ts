/** The skeleton's activity: it does nothing, so what it costs is the engine's work alone. */
export async function noop(step: number): Promise<number> {
  return step;
}
