import { matchRoute } from '../../../local/runtime/routeTemplate';

describe('matchRoute', () => {
  it('matches literals case-insensitively and captures parameters', () => {
    expect(matchRoute('ops/orders/{orderId}', 'OPS/orders/10001')).toEqual({ orderId: '10001' });
  });
  it('handles optional and catch-all parameters', () => {
    expect(matchRoute('ops/parked/{id?}', 'ops/parked')).toEqual({});
    expect(matchRoute('static/{*path}', 'static/a/b.css')).toEqual({ path: 'a/b.css' });
  });
  it('refuses longer or different paths', () => {
    expect(matchRoute('erp/callbacks', 'erp/callbacks/extra')).toBeUndefined();
    expect(matchRoute('erp/callbacks', 'erp/other')).toBeUndefined();
  });
});
