//! The snapshot: read back as written and answering as the index it was written from; damage
//! refused by the checksum; and coupons that fail the feed's checks refused even when the
//! checksum was made to match (a javascript: url, a start after the end, a 232 % discount, a
//! currency that is no currency).

use proptest::prelude::*;

use super::*;
use crate::coupon::{applicable, best_stack, parse_feed, Cart, CartItem};
use crate::money::code;

const FEED: &str = r#"{"version": 1, "generated_at": "2026-11-23T00:00:00Z",
  "rates": {"base": "USD", "per_base": {"EUR": 0.92, "JPY": 150.3}}, "coupons": [
    {"id": "st-1", "kind": "store", "title": "US $3 off US $20 — ünïcødé", "store_id": "912345", "product_ids": ["1005001234567890"],
     "category_ids": ["44", "63705"], "currency": "USD", "min_spend": 2000, "discount": {"type": "fixed", "amount": 300},
     "countries": ["US", "CA"], "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z",
     "url": "https://www.aliexpress.com/store/912345"},
    {"id": "sel-1", "kind": "select", "title": "15%", "currency": "EUR", "min_spend": 0,
     "discount": {"type": "percent", "percent": 15, "max": 1000}, "starts_at": "2026-11-01T00:00:00Z",
     "expires_at": "2026-12-01T00:00:00Z", "new_users_only": true},
    {"id": "code-1", "kind": "code", "title": "Code", "code": "SAVE2", "currency": "JPY", "min_spend": 1500,
     "discount": {"type": "percent", "percent": 5}, "starts_at": "2026-11-01T00:00:00Z", "expires_at": "2026-12-01T00:00:00Z"},
    {"id": "st-2", "kind": "store", "title": "Same store, same url", "store_id": "912345", "currency": "USD", "min_spend": 0,
     "discount": {"type": "percent", "percent": 10, "max": 500}, "starts_at": "2026-11-01T00:00:00Z",
     "expires_at": "2026-12-01T00:00:00Z", "url": "https://www.aliexpress.com/store/912345"}
]}"#;

fn written() -> (Vec<Coupon>, Vec<u8>) {
    let feed = parse_feed(FEED).expect("feed");
    let index = CouponIndex::new(feed.coupons.clone());
    let bytes = write_snapshot(&index, feed.generated_at, 7, &feed.rates);
    (feed.coupons, bytes)
}

/// Every coupon of an opened snapshot, and the whole check's verdict.
fn read_all(bytes: Vec<u8>) -> Result<Vec<Coupon>, SnapshotError> {
    let snapshot = read_snapshot(bytes)?;
    let mut check = StoredCheck::new();
    while !check.step(&snapshot.index, 1)? {}
    Ok(snapshot.index.iter().cloned().collect())
}

#[test]
fn round_trip() {
    let (coupons, bytes) = written();
    let snapshot = read_snapshot(bytes.clone()).expect("snapshot");
    assert_eq!(snapshot.generated_at, 1_795_392_000);
    assert_eq!(snapshot.invalid, 7);
    assert_eq!(snapshot.rates, parse_feed(FEED).expect("feed").rates);
    assert_eq!(
        snapshot.rates.rate(code("EUR"), code("JPY")),
        Some(150.3 / 0.92),
        "the rates a restarted worker converts with"
    );
    let back: Vec<Coupon> = snapshot.index.iter().cloned().collect();
    assert_eq!(back, coupons);
    assert_eq!(snapshot.index.stored_fault(), None);
    assert_eq!(read_all(bytes.clone()), Ok(coupons));
    // A snapshot's own coupons are written back as they were stored.
    assert_eq!(write_snapshot(&snapshot.index, 0, 0, &Rates::none()), bytes);
}

#[test]
fn a_shared_string_is_stored_once() {
    // (And the dates two coupons share: one pair.)
    let (_, bytes) = written();
    let url = b"https://www.aliexpress.com/store/912345";
    let count = bytes.windows(url.len()).filter(|w| w == url).count();
    assert_eq!(count, 1, "two coupons, one url");
}

/// The snapshot's bytes with their checksum made to match again: what a writer's bug, or
/// someone writing the stored bytes, would produce.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = checksum(&bytes[CHECKED_FROM..]);
    bytes[8..16].copy_from_slice(&sum.to_le_bytes());
    bytes
}

/// Where the record of coupon `position` starts.
fn record_at(bytes: &[u8], position: usize) -> usize {
    let header = header(bytes).unwrap_or_else(|e| panic!("{e}"));
    header.layout.sections[RECORDS].0 + position * RECORD
}

fn replace(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| panic!("{from:?} not in the snapshot"));
    bytes[at..at + from.len()].copy_from_slice(to);
}

#[test]
fn damage_is_refused_before_anything_is_read() {
    let (_, bytes) = written();
    for cut in [
        0,
        5,
        8,
        20,
        HEADER - 1,
        HEADER,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let refused = read_snapshot(bytes[..cut].to_vec()).err();
        assert!(
            matches!(
                refused,
                Some(
                    SnapshotError::TooShort
                        | SnapshotError::BadLayout
                        | SnapshotError::ChecksumMismatch
                )
            ),
            "cut at {cut}: {refused:?}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        read_snapshot(longer).err(),
        Some(SnapshotError::ChecksumMismatch)
    );
    let mut other = bytes.clone();
    other[6] = 9;
    assert_eq!(
        read_snapshot(other).err(),
        Some(SnapshotError::OtherVersion(9))
    );
    let mut foreign = bytes.clone();
    foreign[0] = b'X';
    assert_eq!(
        read_snapshot(foreign).err(),
        Some(SnapshotError::NotASnapshot)
    );
    // The old layout's snapshots (version 1) are another version, not misread.
    let mut first = bytes.clone();
    first[6..8].copy_from_slice(&1u16.to_le_bytes());
    assert_eq!(
        read_snapshot(first).err(),
        Some(SnapshotError::OtherVersion(1))
    );
}

#[test]
fn a_coupon_that_fails_the_feed_checks_is_refused_even_with_a_good_checksum() {
    let (coupons, bytes) = written();
    let store = record_at(&bytes, 0);
    // What each damage is, and how many coupons it touches (two share the url).
    let cases: Vec<(&str, Vec<u8>, CouponFault, usize)> = vec![
        (
            "a javascript: url",
            {
                let mut b = bytes.clone();
                let to = b"javascript:alert(document.cookie)//123456";
                let from = b"https://www.aliexpress.com/store/912345";
                replace(&mut b, from, &to[..from.len()]);
                b
            },
            CouponFault::BadUrl,
            2,
        ),
        (
            "starts_at after expires_at",
            {
                // The four coupons share their dates: one pair, swapped.
                let mut b = bytes.clone();
                let (at, _) = header(&bytes)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .layout
                    .sections[TIMES];
                let starts: [u8; 8] = b[at..at + 8].try_into().unwrap_or_default();
                let expires: [u8; 8] = b[at + 8..at + 16].try_into().unwrap_or_default();
                b[at..at + 8].copy_from_slice(&expires);
                b[at + 8..at + 16].copy_from_slice(&starts);
                b
            },
            CouponFault::EndsBeforeStart,
            4,
        ),
        (
            "a 232 % discount",
            {
                let mut b = bytes.clone();
                let select = record_at(&bytes, 1);
                b[select + 2] = 232;
                b
            },
            CouponFault::PercentOutOfRange(232),
            1,
        ),
        (
            "a currency of bytes \\xffUS",
            {
                let mut b = bytes.clone();
                b[store + 4..store + 7].copy_from_slice(b"\xffUS");
                b
            },
            CouponFault::UnknownCurrency("\u{fffd}US".into()),
            1,
        ),
        (
            "a title with white space around it",
            {
                let mut b = bytes.clone();
                replace(&mut b, b"Code", b"Cod ");
                b
            },
            CouponFault::NotTrimmed("title"),
            1,
        ),
    ];
    for (what, bad, fault, touched) in cases {
        let bad = resealed(bad);
        let snapshot = read_snapshot(bad.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
        // Looked at, the coupon is refused and the snapshot says why.
        let shown: Vec<&Coupon> = snapshot.index.iter().collect();
        assert_eq!(
            shown.len(),
            coupons.len() - touched,
            "{what}: the bad coupon is not shown"
        );
        let Some(SnapshotError::BadCoupon { fault: found, .. }) = snapshot.index.stored_fault()
        else {
            panic!("{what}: {:?}", snapshot.index.stored_fault());
        };
        assert_eq!(found, &fault, "{what}");
        // And the whole check refuses the snapshot.
        assert!(
            matches!(read_all(bad), Err(SnapshotError::BadCoupon { fault: f, .. }) if f == fault),
            "{what}"
        );
    }
}

#[test]
fn an_index_that_does_not_match_its_coupons_is_refused() {
    let (_, bytes) = written();
    let header = header(&bytes).unwrap_or_else(|e| panic!("{e}"));
    // The store group's two positions, made one: the second store coupon is not where the
    // index says, and one position is listed twice.
    let (at, _) = header.layout.sections[BY_STORE];
    let mut bad = bytes.clone();
    let first: [u8; 4] = bad[at..at + 4].try_into().unwrap_or_default();
    bad[at + 4..at + 8].copy_from_slice(&first);
    assert_eq!(
        read_snapshot(resealed(bad)).err(),
        Some(SnapshotError::BadLayout)
    );
    // The select coupon filed under another currency.
    let mut bad = bytes.clone();
    replace(&mut bad, b"EUR\0", b"BRL\0");
    let refused = read_all(resealed(bad));
    assert!(
        matches!(refused, Err(SnapshotError::BadIndex(_))),
        "{refused:?}"
    );
}

fn cart(currency: &str, store: &str, price: u64) -> Cart {
    Cart {
        currency: crate::money::code(currency),
        country: Some(*b"US"),
        new_user: true,
        now: 1_795_392_000,
        items: vec![CartItem {
            product_id: Some("1005001234567890".into()),
            store_id: Some(store.into()),
            category_ids: vec!["44".into()],
            price,
            quantity: 1,
        }],
    }
}

#[test]
fn answers_as_the_index_it_was_written_from() {
    let (coupons, bytes) = written();
    let index = CouponIndex::new(coupons.clone());
    let stored = read_snapshot(bytes).expect("snapshot").index;
    for cart in [
        cart("USD", "912345", 2500),
        cart("EUR", "912345", 2500),
        cart("JPY", "1", 9000),
        cart("USD", "2", 10),
    ] {
        assert_eq!(stored.applicable(&cart), index.applicable(&cart));
        assert_eq!(stored.best_stack(&cart), index.best_stack(&cart));
        assert_eq!(stored.applicable(&cart), applicable(&coupons, &cart));
        assert_eq!(
            stored.best_stack(&cart).saving,
            best_stack(&coupons, &cart).saving
        );
    }
}

#[test]
fn a_hundred_thousand_coupons_fit_in_twenty_megabytes() {
    let coupons: Vec<Coupon> = (0..100_000)
        .map(|i| {
            let (id, title, store) = (
                format!("c{i}"),
                format!("Coupon number {i}: save on your order"),
                format!("{}", 900_000 + i % 20_000),
            );
            let url = format!("https://www.aliexpress.com/store/{store}");
            Coupon::new(CouponFields {
                id: &id,
                kind: CouponKind::Store {
                    store_id: &store,
                    product_ids: &[],
                    category_ids: &[],
                },
                title: &title,
                currency: crate::money::code("USD"),
                min_spend: (i as u64 * 131) % 6000,
                discount: Discount::Fixed {
                    amount: 100 + (i as u64 * 37) % 1500,
                },
                countries: &[],
                starts_at: 1_795_000_000,
                expires_at: 1_797_000_000,
                new_users_only: false,
                url: Some(&url),
            })
        })
        .collect();
    let bytes = write_snapshot(&CouponIndex::new(coupons), 0, 0, &Rates::none());
    let index = read_snapshot(bytes).expect("snapshot").index;
    for store in 900_000..900_200 {
        let _ = index.applicable(&cart("USD", &store.to_string(), 5000));
    }
    let held = index.heap_bytes() + size_of::<CouponIndex>();
    assert!(held <= 20_000_000, "{held} bytes");
}

proptest! {
    /// Any damage after the header's first bytes: refused by the checksum, never a panic.
    #[test]
    fn any_flipped_bit_is_refused(flip in 0usize..4000, bit in 0u8..8) {
        let (_, mut bytes) = written();
        let at = CHECKED_FROM + flip % (bytes.len() - CHECKED_FROM);
        bytes[at] ^= 1 << bit;
        // The header's table of sections is read first: damage there may be found as such.
        let refused = read_snapshot(bytes).err();
        prop_assert!(
            refused == Some(SnapshotError::ChecksumMismatch)
                || (at < HEADER && refused == Some(SnapshotError::BadLayout)),
            "{:?} at {}", refused, at
        );
    }

    /// Any bytes at all, and any bytes with a matching checksum: read without a panic, and
    /// whatever decodes passes the checks.
    #[test]
    fn any_bytes_are_read_without_panic(noise in prop::collection::vec(any::<u8>(), 0..400), at in 0usize..2000) {
        let _ = read_snapshot(noise.clone());
        let (_, mut bytes) = written();
        let at = HEADER + at % (bytes.len() - HEADER);
        let end = (at + noise.len()).min(bytes.len());
        bytes[at..end].copy_from_slice(&noise[..end - at]);
        if let Ok(snapshot) = read_snapshot(resealed(bytes)) {
            for coupon in snapshot.index.iter() {
                prop_assert!(check_fields(&coupon.fields(), false).is_ok());
            }
            let mut check = StoredCheck::new();
            while let Ok(false) = check.step(&snapshot.index, 2) {}
        }
    }
}
