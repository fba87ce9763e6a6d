//! RFC 3339 timestamps (`2026-11-23T00:00:00Z`, `2026-12-01T00:00:00.5+01:00`) read into
//! seconds since the epoch, UTC.
//!
//! Why not the `time` crate: the feed needs only this one reading of it, and the crate's general
//! parsing machinery cost several kilobytes of the extension's WASM. This reads RFC 3339's
//! `date-time` (with its note's allowances: any one byte between the date and the time, `z` in
//! lower case, a fraction of any length) and says why a text is not one as a [`TimeError`]; a
//! property test holds what it accepts, and the instant it reads, equal to the `time` crate.

use std::fmt;

use crate::coupon::Timestamp;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// The last year read (RFC 3339 writes four digits; the `time` crate, the tests' reference,
/// holds no later one without its `large-dates` feature).
const MAX_YEAR: i64 = 9999;

/// Why a text is not an RFC 3339 time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// Not the shape `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`.
    Layout,
    /// A month or day that does not exist (`2023-02-29`, month 13).
    Date,
    /// An hour, minute or second out of range.
    Time,
    /// An offset out of range.
    Offset,
    /// `23:59:60` other than at the end of a month, UTC.
    LeapSecond,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Layout => "not laid out as an RFC 3339 time",
            Self::Date => "no such date",
            Self::Time => "no such time of day",
            Self::Offset => "no such offset from UTC",
            Self::LeapSecond => "a leap second where none can fall",
        })
    }
}

impl std::error::Error for TimeError {}

/// Seconds since the epoch of an RFC 3339 timestamp. A fraction of a second is read and dropped
/// (the instant is always after the whole second). A leap second (`23:59:60`) reads as the second
/// before it, and only at the end of a month, UTC.
pub(crate) fn unix_seconds(text: &str) -> Result<Timestamp, TimeError> {
    let bytes = text.as_bytes();
    let number = |at: usize, len: usize| -> Result<i64, TimeError> {
        bytes
            .get(at..at + len)
            .ok_or(TimeError::Layout)?
            .iter()
            .try_fold(0i64, |n, &b| {
                b.is_ascii_digit()
                    .then(|| n * 10 + i64::from(b - b'0'))
                    .ok_or(TimeError::Layout)
            })
    };
    let literal = |at: usize, byte: u8| bytes.get(at) == Some(&byte);
    let in_range = |value: i64, range: std::ops::RangeInclusive<i64>, error: TimeError| {
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(error)
        }
    };
    let year = number(0, 4)?;
    let month = number(5, 2)?;
    let day = number(8, 2)?;
    // Any one byte separates the date from the time (`T`, `t`, a space...), as RFC 3339's
    // note on the separator allows and the reference reads.
    bytes.get(10).ok_or(TimeError::Layout)?;
    let hour = number(11, 2)?;
    let minute = number(14, 2)?;
    let second = number(17, 2)?;
    let dashes_and_colons =
        literal(4, b'-') && literal(7, b'-') && literal(13, b':') && literal(16, b':');
    if !dashes_and_colons {
        return Err(TimeError::Layout);
    }
    let mut at = 19;
    if literal(at, b'.') {
        at += 1;
        let digits = bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err(TimeError::Layout);
        }
        at += digits;
    }
    let offset = match bytes.get(at).ok_or(TimeError::Layout)? {
        b'Z' | b'z' => {
            at += 1;
            None
        }
        sign @ (b'+' | b'-') => {
            let hours = number(at + 1, 2)?;
            let minutes = number(at + 4, 2)?;
            if !literal(at + 3, b':') {
                return Err(TimeError::Layout);
            }
            at += 6;
            Some((*sign, hours, minutes))
        }
        _ => return Err(TimeError::Layout),
    };
    if at != bytes.len() {
        return Err(TimeError::Layout);
    }
    let month = in_range(month, 1..=12, TimeError::Date)?;
    in_range(day, 1..=days_in_month(year, month), TimeError::Date)?;
    in_range(hour, 0..=23, TimeError::Time)?;
    in_range(minute, 0..=59, TimeError::Time)?;
    in_range(second, 0..=60, TimeError::Time)?;
    let offset = match offset {
        None => 0,
        Some((sign, hours, minutes)) => {
            let offset = in_range(hours, 0..=23, TimeError::Offset)? * 3600
                + in_range(minutes, 0..=59, TimeError::Offset)? * 60;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
    };
    let leap = second == 60;
    let local = days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60;
    let utc = local + second.min(59) - offset;
    if leap {
        // The second after it must start the first day of a month, UTC, in a year read.
        let next = utc + 1;
        let (_, _, next_day) = civil_from_days(next.div_euclid(DAY));
        let (utc_year, _, _) = civil_from_days(utc.div_euclid(DAY));
        if next.rem_euclid(DAY) != 0 || next_day != 1 || utc_year > MAX_YEAR {
            return Err(TimeError::LeapSecond);
        }
    }
    Ok(utc)
}

/// `at` as RFC 3339 in UTC to the second (`2026-11-23T00:00:00Z`), as feeds write their times;
/// the feed reader reads it back. Years outside 0000 to 9999 have no four-digit form: a time
/// before or after them is written as the first or last second of that range.
pub fn write(at: Timestamp) -> String {
    let first = days_from_civil(0, 1, 1) * DAY;
    let last = days_from_civil(MAX_YEAR, 12, 31) * DAY + DAY - 1;
    let at = at.clamp(first, last);
    let (year, month, day) = civil_from_days(at.div_euclid(DAY));
    let second = at.rem_euclid(DAY);
    let mut out = String::with_capacity(20);
    for (value, width, after) in [
        (year, 4, '-'),
        (month, 2, '-'),
        (day, 2, 'T'),
        (second / 3600, 2, ':'),
        (second / 60 % 60, 2, ':'),
        (second % 60, 2, 'Z'),
    ] {
        let digits = value.to_string();
        out.extend(std::iter::repeat_n('0', width - digits.len().min(width)));
        out.push_str(&digits);
        out.push(after);
    }
    out
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;
    use time::OffsetDateTime;

    /// The reference: what the `time` crate reads.
    fn reference(text: &str) -> Option<Timestamp> {
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(OffsetDateTime::unix_timestamp)
    }

    #[test]
    fn table() {
        for (text, want) in [
            ("2026-11-23T00:00:00Z", Some(1_795_392_000)),
            ("2026-12-01T00:00:00+01:00", Some(1_796_079_600)),
            ("1970-01-01T00:00:00Z", Some(0)),
            ("1969-12-31T23:59:59.999z", Some(-1)),
            ("0000-01-01 00:00:00-23:59", Some(-62_167_132_860)),
            ("9999-12-31T23:59:60Z", Some(253_402_300_799)),
            ("2016-12-31T23:59:60Z", Some(1_483_228_799)),
            ("2016-12-31T22:59:60-01:00", Some(1_483_228_799)),
            ("2016-12-30T23:59:60Z", None),
            ("2024-02-29T12:00:00Z", Some(1_709_208_000)),
            ("2023-02-29T12:00:00Z", None),
            ("2026-11-23T00:00:00", None),
            ("2026-11-23T00:00:00.Z", None),
            ("2026-11-23T24:00:00Z", None),
            ("2026-11-23T00:00:00+24:00", None),
            ("2026-11-23T00:00:00+01:60", None),
            ("2026-11-23T00:00:00Zx", None),
            ("2026-11-23", None),
            ("yesterday", None),
            ("", None),
        ] {
            assert_eq!(unix_seconds(text).ok(), want, "{text}");
            assert_eq!(reference(text), want, "{text}: the reference");
        }
    }

    #[test]
    fn writes_what_it_reads_and_clamps_the_years_it_cannot() {
        for (at, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (1_795_392_000, "2026-11-23T00:00:00Z"),
            (1_709_208_000 + 3_723, "2024-02-29T13:02:03Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (i64::MAX, "9999-12-31T23:59:59Z"),
            (-62_167_219_200, "0000-01-01T00:00:00Z"),
            (i64::MIN, "0000-01-01T00:00:00Z"),
        ] {
            assert_eq!(write(at), text, "{at}");
        }
    }

    proptest! {
        /// Every second of years 0000 to 9999 is written as the `time` crate writes it, and
        /// read back to itself.
        #[test]
        fn writes_as_the_reference(at in -62_167_219_200i64..=253_402_300_799) {
            let text = write(at);
            let theirs = OffsetDateTime::from_unix_timestamp(at).expect("in range");
            prop_assert_eq!(&text, &theirs.format(&Rfc3339).expect("format"));
            prop_assert_eq!(unix_seconds(&text), Ok(at));
        }
    }

    #[test]
    fn day_counts_round_trip() {
        for days in (-3_000_000..3_000_000).step_by(997) {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    /// Texts near the RFC 3339 shape: every field at and around its limits, and odd bytes.
    fn near_rfc3339() -> impl Strategy<Value = String> {
        let two = |max: u32| (0..=max).prop_map(|n| format!("{n:02}"));
        let year = prop_oneof![
            Just("0000".to_owned()),
            Just("9999".to_owned()),
            (1900u32..2101).prop_map(|y| y.to_string()),
            "[0-9]{4}",
        ];
        let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{0,12}"];
        let offset = prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            Just(String::new()),
            (prop::sample::select(vec!['+', '-']), two(25), two(61))
                .prop_map(|(s, h, m)| format!("{s}{h}:{m}")),
        ];
        let separator = prop::sample::select(vec!["T", "t", " ", "X", "é", ""]);
        let clean = (
            year,
            two(13),
            two(32),
            separator,
            two(24),
            two(60),
            two(61),
            fraction,
            offset,
        )
            .prop_map(|(y, mo, d, sep, h, mi, s, f, o)| {
                format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{f}{o}")
            });
        // And the same with one byte changed, dropped or added somewhere.
        (clean, any::<prop::sample::Index>(), 0u8..4, any::<char>()).prop_map(
            |(text, at, how, c)| {
                let mut chars: Vec<char> = text.chars().collect();
                let i = at.index(chars.len() + 1);
                match how {
                    0 if i < chars.len() => {
                        chars[i] = c;
                    }
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    2 => chars.insert(i, c),
                    _ => {}
                }
                chars.into_iter().collect()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

        #[test]
        fn reads_what_the_time_crate_reads(text in near_rfc3339()) {
            prop_assert_eq!(unix_seconds(&text).ok(), reference(&text), "{}", text);
        }

        #[test]
        fn reads_any_instant_the_time_crate_writes(seconds in -62_135_596_800i64..253_402_300_800, nanos in 0u32..1_000_000_000, offset in -86_399i32..86_400) {
            let offset = time::UtcOffset::from_whole_seconds(offset / 60 * 60).expect("offset");
            let instant = OffsetDateTime::from_unix_timestamp(seconds)
                .expect("instant")
                .replace_nanosecond(nanos)
                .expect("nanos")
                .to_offset(offset);
            if let Ok(text) = instant.format(&Rfc3339) {
                prop_assert_eq!(unix_seconds(&text), Ok(seconds), "{}", text);
            }
        }
    }
}
