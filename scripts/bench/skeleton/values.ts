/** A search attribute update on one of the onboarding's keys (by name), with a placeholder value of its type. */
import { SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { searchAttributeKeys } from '../../../src/search-attributes';

export function attributeFor(name: string, value: string): SearchAttributeUpdatePair | undefined {
  const key = searchAttributeKeys.find((k) => k.name === name);
  if (key === undefined) return undefined;
  return (
    key.type === SearchAttributeType.KEYWORD_LIST ? { key, value: [value] } : { key, value }
  ) as SearchAttributeUpdatePair;
}
