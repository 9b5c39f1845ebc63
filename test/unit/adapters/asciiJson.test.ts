import { asciiJson } from '../../../src/adapters/tables/openTable';

describe('JSON kept as ASCII in a table (Azurite garbles multi-byte characters of large entities)', () => {
  it('escapes every character past ASCII, emoji as surrogate pairs, and reads back as the same value', () => {
    const value = { name: 'Jürgen Müller ✓', note: 'café 😀', plain: 'abc "quoted" \\ back' };
    const text = asciiJson(JSON.stringify(value));
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(text).toContain('J\\u00fcrgen');
    expect(text).toContain('\\ud83d\\ude00');
    expect(JSON.parse(text)).toEqual(value);
  });
});
