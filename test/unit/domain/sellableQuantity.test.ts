import { quantityToPush, sellableQuantity, shopCeiling } from '../../../src/domain/sellableQuantity';

describe('sellable quantity', () => {
  it('is ERP available less the units in flight less safety stock', () => {
    expect(sellableQuantity({ erpAvailable: 50, inFlight: 3, safetyStock: 2 })).toBe(45);
  });

  it('is never below 0', () => {
    expect(sellableQuantity({ erpAvailable: 4, inFlight: 3, safetyStock: 2 })).toBe(0);
    expect(sellableQuantity({ erpAvailable: -5, inFlight: 0, safetyStock: 0 })).toBe(0);
  });

  it('subtracts an order once, whichever side holds it: in flight, or reserved in the ERP', () => {
    // 50 on hand, an order of 3 the ERP does not hold yet: in flight.
    const before = sellableQuantity({ erpAvailable: 50, inFlight: 3, safetyStock: 0 });
    // The ERP takes it: its reservation lowers ERP available, and it leaves the in-flight units.
    const after = sellableQuantity({ erpAvailable: 47, inFlight: 0, safetyStock: 0 });
    expect(before).toBe(47);
    expect(after).toBe(47);
  });

  it('has a ceiling from the shop’s own figures that agrees with it once every order has reached the hub', () => {
    // 50 on hand; the shop has 3 committed, held by the ERP as a reservation (available 47).
    const sellable = sellableQuantity({ erpAvailable: 47, inFlight: 0, safetyStock: 1 });
    const ceiling = shopCeiling({ erpOnHand: 50, shopCommitted: 3, safetyStock: 1 });
    expect(ceiling).toBe(sellable);
    expect(quantityToPush(sellable, ceiling)).toEqual({ quantity: 46, held: false });
  });

  it('holds the push down to the ceiling while a shop order has not reached the hub', () => {
    // The shop sold 5 more the hub has not heard of: they are in its committed, nowhere else.
    const sellable = sellableQuantity({ erpAvailable: 47, inFlight: 0, safetyStock: 0 });
    const ceiling = shopCeiling({ erpOnHand: 50, shopCommitted: 8, safetyStock: 0 });
    expect(quantityToPush(sellable, ceiling)).toEqual({ quantity: 42, held: true });
  });
});
