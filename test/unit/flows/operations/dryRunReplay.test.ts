import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { dryRunReplay, dryRunSummary, selectParked } from '../../../../src/flows/operations/dryRunReplay';
import { HubMappings } from '../../../../src/mapping/mappingNames';
import type { ParkedMessage } from '../../../../src/ports/ParkedMessagesPort';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { orderMappings, projectMappings } from '../../../support/mappings';

const deps = { orderMappings, updateMapping: projectMappings.get(HubMappings.CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE.name) };

const entry = (orderId: string, code: string, payload: unknown, extra: Partial<ParkedMessage> = {}): ParkedMessage => ({
  source: 'online-orders',
  orderId,
  code,
  reason: code,
  details: [],
  payload: JSON.stringify(payload),
  attempts: 1,
  parkedAt: '2026-12-02T10:00:00.000Z',
  replayable: true,
  ...extra,
});

const unknownSku = (id: string) =>
  ecpOrderFactory({ id, lineItems: [{ id: 'L1', sku: 'NOT-IN-THE-TABLE', title: 'x', quantity: 1, unitPrice: 1, taxRate: 0.2 }] });

describe('a dry run of a replay', () => {
  it('maps each parked order again with the mappings in force: would pass, would fail (with the code and reason), or only a real replay can tell', () => {
    const parked = [
      entry('2001', ErrorCodes.MAPPING_UNKNOWN_SKU, ecpOrderFactory({ id: '2001' })),
      entry('2002', ErrorCodes.MAPPING_UNKNOWN_SKU, unknownSku('2002')),
      entry('2003', ErrorCodes.ERP_REJECTED, ecpOrderFactory({ id: '2003' })),
      entry('2004', ErrorCodes.EVENT_INVALID, {}, { source: 'ecp-order-events', replayable: false }),
      entry('2005', ErrorCodes.ECP_ORDER_NOT_FOUND, {}, { source: 'ecp-order-events' }),
      entry('2006', ErrorCodes.MESSAGE_INVALID, { kind: 'shipped' }, { source: 'erp-updates', messageId: 'u-1' }),
    ];
    const results = dryRunReplay(parked, deps);
    expect(results.map((r) => [r.orderId, r.verdict, r.code])).toEqual([
      ['2001', 'wouldPass', undefined],
      ['2002', 'wouldFail', ErrorCodes.MAPPING_UNKNOWN_SKU],
      ['2003', 'cannotTell', undefined],
      ['2004', 'notReplayable', undefined],
      ['2005', 'cannotTell', undefined],
      ['2006', 'wouldFail', ErrorCodes.MESSAGE_INVALID],
    ]);
    expect(results[1]?.reason).toContain('NOT-IN-THE-TABLE');
    expect(results[0]?.mappings).toMatch(/^ecp-order-to-canonical@\d+#\w+, canonical-to-erp-sales-order@\d+#\w+$/);
    expect(results[2]?.reason).toContain('only the ERP can answer');
    expect(dryRunSummary(results)).toEqual({ wouldPass: 1, wouldFail: 2, cannotTell: 2, notReplayable: 1 });
  });

  it('takes a failure group, some entries, or some orders', () => {
    const parked = [
      entry('3001', ErrorCodes.MAPPING_UNKNOWN_SKU, {}, { mappings: 'm@1#a' }),
      entry('3002', ErrorCodes.MAPPING_UNKNOWN_SKU, {}, { mappings: 'm@2#b' }),
      entry('3003', ErrorCodes.ERP_REJECTED, {}, { source: 'erp-updates', messageId: 'u-9' }),
    ];
    expect(selectParked(parked, { group: 'MAPPING.UNKNOWN_SKU m@2#b' }).map((p) => p.orderId)).toEqual(['3002']);
    expect(selectParked(parked, { group: 'ERP.REJECTED' }).map((p) => p.orderId)).toEqual(['3003']);
    expect(selectParked(parked, { orderIds: ['3001', '3003'] }).map((p) => p.orderId)).toEqual(['3001', '3003']);
    expect(selectParked(parked, { entries: [{ source: 'erp-updates', orderId: '3003', messageId: 'u-9' }] })).toHaveLength(1);
    expect(selectParked(parked, { entries: [{ source: 'erp-updates', orderId: '3003' }] })).toHaveLength(0);
  });
});
