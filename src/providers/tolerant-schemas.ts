/**
 * Zod pieces for what providers send loosely: numbers as strings, text as numbers, lists left out or
 * sent as null. Each provider's schemas.ts builds its contract from them where its document is loose.
 */
import { z } from 'zod';

/** An integer sent as a number or as a string of digits. */
export const intLike = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number),
]);

/** Free text the provider may send as a number (a CPF, a phone, a reference). */
export const textLike = z.union([z.string(), z.number().transform(String)]);

/** A list the provider may leave out or send as null: read as empty. */
export const listOrEmpty = <S extends z.ZodType>(item: S) =>
  z
    .array(item)
    .nullish()
    .transform((list) => list ?? []);
