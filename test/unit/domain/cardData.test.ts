import { containsCardNumber, passesLuhn } from '../../../src/domain/cardData';

describe('card data in a request', () => {
  it('knows the Luhn check', () => {
    expect(passesLuhn('4242424242424242')).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
    expect(passesLuhn('79927398713')).toBe(true);
  });

  it.each([
    ['plain', '{"note":"4111111111111111"}'],
    ['with spaces', '{"note":"4111 1111 1111 1111"}'],
    ['with dashes', '{"name":"5555-5555-5555-4444"}'],
    ['a number, not a string', '{"amount":4012888888881881}'],
    ['15 digits (Amex)', 'pay with 378282246310005 please'],
    ['19 digits', '{"x":"6011000990139424"}'],
    ['among other numbers', '{"items":[{"code":"WS-1","quantity":2}],"ref":"2026 4242 4242 4242 4242"}'],
    ['in a nested field', '{"registrant":{"givenName":"Ada","notes":["card 4000 0566 5566 5556"]}}'],
  ])('finds a card number %s', (_, text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    ['a phone number', '{"phone":"+44 20 7946 0958"}'],
    ['a date and amounts', '{"placedAt":"2026-11-30T10:00:00Z","amount":12345.67}'],
    ['12 digits', '{"ref":"424242424242"}'],
    ['a number failing Luhn', '{"ref":"4242424242424241"}'],
    ['digits grouped by other characters', '{"ref":"4242.4242.4242.4242"}'],
    ['a long reference that happens to hold a valid number', '{"ref":"99378282246310005"}'],
  ])('leaves %s alone', (_, text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});
