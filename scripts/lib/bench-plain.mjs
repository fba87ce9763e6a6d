// What every bench shares that needs no browser (scripts/lib/bench.mjs re-exports it for the
// extension's): the big coupon feed they load, and how a figure is printed.

/** One figure, one JSON line. */
export function report(figure) {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/**
 * A feed shaped like the criterion bench's: store coupons over 20,000 stores, a few order-wide,
 * each with its terms page on AliExpress as a publisher's would have; plus one coupon of the
 * product fixture's store, so that the popup's answer there has coupons to list.
 */
export function bigFeed(count) {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = Date.now();
  const dates = { starts_at: iso(now - 86400000), expires_at: iso(now + 30 * 86400000) };
  const coupons = [];
  for (let i = 0; i < count; i++) {
    const store = String(900000 + (i % 20000));
    const kind =
      i % 200 === 0 ? { kind: 'select' } : i % 200 < 3 ? { kind: 'code', code: `CODE${i}` } : { kind: 'store', store_id: store };
    coupons.push({
      id: `c${i}`,
      ...kind,
      title: `Coupon number ${i}: save on your order`,
      currency: ['EUR', 'BRL', 'USD'][Math.min(i % 10, 2)],
      min_spend: (i * 131) % 6000,
      discount: i % 3 === 0 ? { type: 'percent', percent: (i % 30) + 1, max: 500 + (i % 2000) } : { type: 'fixed', amount: 100 + ((i * 37) % 1500) },
      countries: [],
      ...dates,
      new_users_only: false,
      url: kind.kind === 'store' ? `https://www.aliexpress.com/store/${store}` : 'https://sale.aliexpress.com/__pc/coupons.htm',
    });
  }
  coupons.push({
    id: 'fixture-store',
    kind: 'store',
    store_id: '912345',
    title: 'US $1 off',
    currency: 'USD',
    min_spend: 0,
    discount: { type: 'fixed', amount: 100 },
    countries: [],
    ...dates,
  });
  return { version: 1, generated_at: iso(now), coupons };
}
