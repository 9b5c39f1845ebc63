import { roundDecimal, type RoundingMode } from '../../../src/mapping/expression/decimal';

describe('decimal rounding', () => {
  it.each<[number, number, RoundingMode, number]>([
    [2.675, 2, 'half-up', 2.68],
    [1.005, 2, 'half-up', 1.01],
    [-1.005, 2, 'half-up', -1.01],
    [0.125, 2, 'half-even', 0.12],
    [0.135, 2, 'half-even', 0.14],
    [0.125, 2, 'half-down', 0.12],
    [1.231, 2, 'up', 1.24],
    [-1.231, 2, 'up', -1.24],
    [1.239, 2, 'down', 1.23],
    [-1.239, 2, 'floor', -1.24],
    [-1.231, 2, 'ceiling', -1.23],
    [1234.5, 0, 'half-even', 1234],
    [1e-7, 2, 'half-up', 0],
  ])('%d to %d places %s is %d', (value, places, mode, expected) => {
    expect(roundDecimal(value, places, mode)).toBe(expected);
  });
});
