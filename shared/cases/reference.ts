/**
 * A case's reference, for people to read out on the phone (CONTRACT.md v1.1): FD, the year the case
 * opened and a number that counts up within the deployment and year. It is not personal data.
 */
export const REFERENCE_PATTERN = /^FD-(\d{4})-(\d{5,})$/;

export const formatReference = (year: string, sequence: number) =>
  `FD-${year}-${String(sequence).padStart(5, '0')}`;

/** A reference as typed: any case, surrounding spaces ignored; undefined when the text is not one. */
export function parseReference(text: string): string | undefined {
  const candidate = text.trim().toUpperCase();
  return REFERENCE_PATTERN.test(candidate) ? candidate : undefined;
}
