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

  it('says where it is not CSV', () => {
    const read = csvRows('sku,itemNo\nMUG,1\nCAP,2,extra\n');
    expect(isCsvProblem(read) && read).toMatchObject({ line: 3, message: expect.stringMatching(/^not valid CSV: /) });
  });

  it('names the columns a header lacks; a file of a header alone has no columns to check', () => {
    expect(missingColumns(rows('sku,item\nMUG,1\n'), ['sku', 'itemNo', 'location'])).toEqual(['itemNo', 'location']);
    const headerOnly = rows('sku,itemNo\n');
    expect(headerOnly).toEqual({ rows: [] });
    expect(missingColumns(headerOnly, ['sku'])).toEqual([]);
  });
});
