import { csvRows, isCsvProblem, missingColumns, type CsvRows } from '../../../src/mapping/csvRows';

const rows = (text: string): CsvRows => {
  const read = csvRows(text);
  if (isCsvProblem(read)) throw new Error(read.message);
  return read;
};

describe('a lookup file read as CSV', () => {
  it('gives each data row with the line it is on, past comments and blank lines, values trimmed', () => {
    const read = rows('sku,itemNo\n# the mugs\nMUG-LOGO , 10010\n\nCAP-NAVY,10020\n');
    expect(read.columns).toEqual(['sku', 'itemNo']);
    expect(read.rows).toEqual([
      { record: { sku: 'MUG-LOGO', itemNo: '10010' }, line: 3 },
      { record: { sku: 'CAP-NAVY', itemNo: '10020' }, line: 5 },
    ]);
  });

  it('gives a row that spans lines (a quoted line break) the line it starts on, and skips lines of blanks', () => {
    const read = rows('sku,note\r\n"MUG","two\r\nlines" \r\n   \r\nCAP,"a, b ""quoted"""\r\n');
    expect(read.rows).toEqual([
      { record: { sku: 'MUG', note: 'two\r\nlines' }, line: 2 },
      { record: { sku: 'CAP', note: 'a, b "quoted"' }, line: 5 },
    ]);
  });

  it('says where it is not CSV: a row with more or fewer fields than the header, a quote left open', () => {
    expect(csvRows('sku,itemNo\nMUG,1\nCAP,2,extra\n')).toEqual({ line: 3, message: 'not valid CSV: 3 fields where the header has 2' });
    expect(csvRows('sku,itemNo\n# a comment\n\nMUG\n')).toEqual({ line: 4, message: 'not valid CSV: 1 fields where the header has 2' });
    expect(csvRows('sku,itemNo\nMUG,1\nCAP,"2\n')).toMatchObject({
      line: 3,
      message: expect.stringMatching(/^not valid CSV: quoted field unterminated/),
    });
    expect(csvRows('sku,note\nMUG, "a, b"\n')).toEqual({
      line: 2,
      message: 'not valid CSV: a quoted value starts with its quote, right after the comma (no space before it)',
    });
  });

  it('names the columns a header lacks; a file of a header alone has no columns to check', () => {
    expect(missingColumns(rows('sku,item\nMUG,1\n'), ['sku', 'itemNo', 'location'])).toEqual(['itemNo', 'location']);
    const headerOnly = rows('sku,itemNo\n');
    expect(headerOnly).toEqual({ rows: [] });
    expect(missingColumns(headerOnly, ['sku'])).toEqual([]);
  });
});
