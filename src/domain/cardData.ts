/** A run of digits, maybe grouped by single spaces or dashes as card numbers are written, with no digit either side. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d)*(?!\d)/g;

/** The Luhn check card numbers pass (ISO/IEC 7812). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Whether a text holds what looks like a card number anywhere: 13 to 19 digits, with or without
 * spaces or dashes between them, passing the Luhn check. In a run of digit groups (`2026 4242 4242
 * 4242 4242`) every stretch of whole groups is tried; a run without separators only as a whole.
 */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    const groups = match[0].split(/[ -]/);
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 19; last++) {
        digits += groups[last] ?? '';
        if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
      }
    }
  }
  return false;
}
