import { searchSubstringMinLength } from '../../../../src/shared/api/people';

/**
 * What a People search of this term matches, said when it matters: terms shorter than three characters match the
 * start of usernames and emails only (the server's rule, docs/product/security-settings.md#bounded-work), which a
 * person typing "jo" should not have to guess from missing results. Null for empty and longer terms.
 */
export function shortSearchHint(term: string): string | null {
  const length = [...term.trim()].length;
  if (length === 0 || length >= searchSubstringMinLength) return null;
  return `Matches the start of usernames and emails; type ${searchSubstringMinLength} or more characters to search inside them.`;
}
