/** Rounding modes of `decimal(x, places, mode)`, as accountants and ERPs name them. */
export const ROUNDING_MODES = ['half-up', 'half-even', 'half-down', 'up', 'down', 'ceiling', 'floor'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** x × 10^places, exactly as written in decimal (0.285 → 28.5, not 28.499999…). */
function shift(x: number, places: number): number {
  const text = String(x);
  return text.includes('e') ? x * 10 ** places : Number(`${text}e${places}`);
}

function roundInteger(value: number, mode: RoundingMode): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  const sign = value < 0 ? -1 : 1;
  const magnitude = Math.abs(value);
  switch (mode) {
    case 'floor':
      return floor;
    case 'ceiling':
      return Math.ceil(value);
    case 'down':
      return sign * Math.floor(magnitude);
    case 'up':
      return sign * Math.ceil(magnitude);
    case 'half-up':
      return sign * Math.floor(magnitude + 0.5);
    case 'half-down':
      return sign * Math.ceil(magnitude - 0.5);
    case 'half-even':
      if (fraction !== 0.5) return Math.round(value);
      return floor % 2 === 0 ? floor : floor + 1;
  }
}

const POWERS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/** `x` rounded to `places` decimals with `mode`. */
export function roundDecimal(x: number, places: number, mode: RoundingMode): number {
  // Fast path: far from a tie or an integer, binary arithmetic rounds as decimal would.
  const factor = POWERS[places];
  if (factor !== undefined) {
    const scaled = x * factor;
    const fraction = scaled - Math.floor(scaled);
    if (Math.abs(scaled) < 1e15 && fraction > 1e-6 && fraction < 1 - 1e-6 && Math.abs(fraction - 0.5) > 1e-6) {
      const rounded = roundInteger(scaled, mode) / factor;
      return rounded === 0 ? 0 : rounded;
    }
  }
  const rounded = roundInteger(shift(x, places), mode);
  const result = shift(rounded, -places);
  return result === 0 ? 0 : result; // no -0
}
