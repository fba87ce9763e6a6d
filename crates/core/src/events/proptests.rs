//! Property tests of the batch: any valid batch written then read is equal, and any mutation of
//! a written batch (a byte changed, inserted or removed, the text cut) either reads as a valid
//! batch or is refused with a reason, and never panics.

use proptest::prelude::*;

use super::*;

fn batch() -> impl Strategy<Value = Batch> {
    let counts = proptest::collection::vec(any::<u32>(), EVENT_KINDS).prop_map(|raw| {
        let mut counts = EventCounts::default();
        for (event, n) in Event::ALL.iter().zip(raw) {
            // Zero about a third of the time, else anything up to the bound.
            let count = if n % 3 == 0 {
                0
            } else {
                n % (event.max_count() + 1)
            };
            counts.set(*event, count);
        }
        counts
    });
    let version = proptest::collection::vec(any::<u16>(), 1..=4).prop_map(|parts| {
        let text: Vec<String> = parts.iter().map(u16::to_string).collect();
        ExtensionVersion::parse(&text.join(".")).unwrap_or_else(|| unreachable!("{parts:?}"))
    });
    let country = (0usize..250).prop_map(|n| {
        let mut all = Vec::new();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let text = String::from_utf8(vec![a, b]).unwrap_or_default();
                if let Some(country) = Country::parse(&text) {
                    all.push(country);
                }
            }
        }
        all.get(n % all.len()).copied().unwrap_or(Country::UNKNOWN)
    });
    (
        any::<[u8; 16]>(),
        proptest::sample::select(BrowserFamily::ALL),
        1u64..=999,
        proptest::sample::select(OsFamily::ALL),
        country,
        proptest::option::of(proptest::sample::select(UiLanguage::ALL.to_vec())),
        -48i64..=56,
        version,
        counts,
    )
        .prop_map(
            |(id, browser, major, os, country, language, quarter, extension_version, counts)| {
                Batch {
                    id: AnonymousId::from_random(id),
                    browser,
                    browser_major: BrowserMajor::new(major).unwrap_or_else(|| unreachable!()),
                    os,
                    country,
                    language,
                    utc_offset: UtcOffset::new(quarter * 15).unwrap_or_else(|| unreachable!()),
                    extension_version,
                    counts,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn written_then_read_is_equal(batch in batch()) {
        let json = batch.to_json();
        prop_assert!(json.len() <= MAX_BATCH_BYTES);
        prop_assert_eq!(read_batch(json.as_bytes()), Ok(batch));
        // serde_json reads what the writer wrote as the same document.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let id = batch.id.to_string();
        prop_assert_eq!(value["id"].as_str(), Some(id.as_str()));
    }

    #[test]
    fn any_mutation_reads_or_is_refused(
        batch in batch(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0u8..4,
    ) {
        let mut bytes = batch.to_json().into_bytes();
        let i = at.index(bytes.len());
        match how {
            0 => { if let Some(b) = bytes.get_mut(i) { *b = byte; } }
            1 => bytes.insert(i, byte),
            2 => { bytes.remove(i); }
            _ => bytes.truncate(i),
        }
        match read_batch(&bytes) {
            // What reads is a batch the writer writes the same way (one spelling per value),
            // unless the mutation only touched whitespace or an escape.
            Ok(read) => prop_assert_eq!(read_batch(read.to_json().as_bytes()), Ok(read)),
            Err(error) => {
                prop_assert!(BatchError::CODES.contains(&crate::problem::Problem::code(&error)));
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_batch(&bytes);
    }
}
