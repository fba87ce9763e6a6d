//! The values a usage batch may hold, each a closed set or a bounded shape, and each type able
//! to hold only what the reader accepts: so a batch built in code is a batch the reader reads
//! back, and nothing the server keeps can be a free text of the sender's choosing.

use std::fmt;

use super::countries;
use crate::locale::UiLanguage;

/// A closed set of names: its variants, each name once, `ALL`, `as_str` and `parse`.
macro_rules! closed_set {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order of its list.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// Its name in a batch and in the aggregates.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value named exactly `name`.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == name)
            }
        }
    };
}

closed_set! {
    /// The browser the extension runs in, by family: those that run Chrome extensions (and
    /// Firefox, for its build), anything else `other`.
    BrowserFamily {
        /// Google Chrome, and Chromium.
        Chrome = "chrome",
        /// Microsoft Edge.
        Edge = "edge",
        /// Opera.
        Opera = "opera",
        /// Brave.
        Brave = "brave",
        /// Vivaldi.
        Vivaldi = "vivaldi",
        /// Yandex Browser.
        Yandex = "yandex",
        /// Firefox.
        Firefox = "firefox",
        /// Any other browser.
        Other = "other",
    }
}

closed_set! {
    /// The operating system, by family (`chrome.runtime.getPlatformInfo().os`: `win`, `mac`,
    /// `linux`, `cros`, `android`; anything else `other`).
    OsFamily {
        /// Windows.
        Windows = "windows",
        /// macOS.
        Macos = "macos",
        /// Linux (not ChromeOS, not Android).
        Linux = "linux",
        /// ChromeOS.
        Chromeos = "chromeos",
        /// Android.
        Android = "android",
        /// Any other.
        Other = "other",
    }
}

closed_set! {
    /// What the extension counts: each thing the shopper did with it, and the few things it did
    /// for them, counted on the device and sent as one number each.
    Event {
        /// The popup was opened.
        PopupOpened = "popup_opened",
        /// A coupon's code was copied from the popup.
        CouponCopied = "coupon_copied",
        /// A coupon's code was filled into a checkout page.
        CouponFilled = "coupon_filled",
        /// The shopper activated deals on a tab (our affiliate links there, by their choice).
        DealsActivated = "deals_activated",
        /// A Smart Search request was submitted.
        SearchSubmitted = "search_submitted",
        /// A Smart Search product result was opened.
        SearchResultOpened = "search_result_opened",
        /// A product link on a page became our link (each link once).
        LinkRewritten = "link_rewritten",
        /// A tab stood down: it came through someone else's affiliate link, so nothing of ours
        /// was offered there.
        StoodDown = "stood_down",
        /// A coupon feed download or check failed.
        FeedUpdateFailed = "feed_update_failed",
        /// The shopper changed the rewrite mode (ask, auto, off).
        ModeChanged = "mode_changed",
    }
}

/// How many events the list has.
pub const EVENT_KINDS: usize = Event::ALL.len();

impl Event {
    /// The most one batch may count of it. A batch carries about a day of use (the extension
    /// sends at most one a day): a thousand of anything a shopper does by hand is already more
    /// than a person does in a day; link rewrites are per link, and a page can hold hundreds.
    pub fn max_count(self) -> u32 {
        match self {
            Self::LinkRewritten => 100_000,
            Self::ModeChanged => 100,
            _ => 1_000,
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|e| *e == self).unwrap_or(0)
    }
}

/// A random anonymous id: a version 4 UUID (122 random bits), written in lower-case hex with
/// its hyphens (`1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b`), as `crypto.randomUUID()` makes one.
/// Chosen on the device and never tied to anything else the extension knows.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnonymousId([u8; 16]);

/// Its text's length.
const ID_LEN: usize = 36;

impl AnonymousId {
    /// The id `text` spells: exactly 36 characters, lower-case hex in groups 8-4-4-4-12, the
    /// version nibble 4 and the variant bits `10` (RFC 9562). One id has one spelling.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != ID_LEN {
            return None;
        }
        let mut id = [0u8; 16];
        let mut nibbles = 0usize;
        for (at, &b) in bytes.iter().enumerate() {
            if matches!(at, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return None;
                }
                continue;
            }
            let value = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                _ => return None,
            };
            let byte = id.get_mut(nibbles / 2)?;
            *byte = (*byte << 4) | value;
            nibbles += 1;
        }
        let version = id.get(6).map(|b| b >> 4);
        let variant = id.get(8).map(|b| b >> 6);
        (version == Some(4) && variant == Some(0b10)).then_some(Self(id))
    }

    /// A version 4 id from 16 random bytes (its version and variant bits set over them).
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0F) | 0x40;
        bytes[8] = (bytes[8] & 0x3F) | 0x80;
        Self(bytes)
    }

    /// Its 16 bytes.
    pub fn bytes(self) -> [u8; 16] {
        self.0
    }
}

impl fmt::Display for AnonymousId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = String::with_capacity(ID_LEN);
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                text.push('-');
            }
            for nibble in [byte >> 4, byte & 0xF] {
                text.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
        f.write_str(&text)
    }
}

impl fmt::Debug for AnonymousId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The shopper's country as the extension knows it (the ship-to country AliExpress shows): an
/// assigned ISO 3166-1 alpha-2 code, or `ZZ` when it does not know.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    /// Not known.
    pub const UNKNOWN: Self = Self(countries::UNKNOWN);

    /// The country `text` names exactly: two upper-case letters, assigned or `ZZ`.
    pub fn parse(text: &str) -> Option<Self> {
        let code: [u8; 2] = text.as_bytes().try_into().ok()?;
        (code == countries::UNKNOWN || countries::is_assigned(code)).then_some(Self(code))
    }

    /// The two letters.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters from the table are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The interface language's name in a batch and the aggregates: one of the six, or `other` when
/// the browser's language is none of them (the interface then shows English).
pub fn language_name(language: Option<UiLanguage>) -> &'static str {
    language.map_or("other", UiLanguage::as_str)
}

/// The language a batch's `language` names: `Some(None)` for `other`; `None` when it is no name
/// of the list.
pub fn parse_language(name: &str) -> Option<Option<UiLanguage>> {
    match name {
        "other" => Some(None),
        name => UiLanguage::parse(name).map(Some),
    }
}

/// The browser's major version, 1 to 999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BrowserMajor(u16);

impl BrowserMajor {
    /// The largest major version read.
    pub const MAX: u16 = 999;

    /// The version if it is 1 to [`BrowserMajor::MAX`].
    pub fn new(major: u64) -> Option<Self> {
        u16::try_from(major)
            .ok()
            .filter(|m| (1..=Self::MAX).contains(m))
            .map(Self)
    }

    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }
}

/// The device's time zone as its offset from UTC now, in minutes east (`-new Date()
/// .getTimezoneOffset()` in JavaScript: `-300` in New York in winter, `330` in India): from -720
/// to +840, a multiple of 15. An offset rather than a zone's name, which says more about where
/// someone is than the counts need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UtcOffset(i16);

impl UtcOffset {
    /// The offset if it is one a time zone has.
    pub fn new(minutes: i64) -> Option<Self> {
        let minutes = i16::try_from(minutes).ok()?;
        ((-720..=840).contains(&minutes) && minutes % 15 == 0).then_some(Self(minutes))
    }

    /// Minutes east of UTC.
    pub fn minutes(self) -> i16 {
        self.0
    }
}

impl fmt::Display for UtcOffset {
    /// `+05:30`, `-03:00`, `+00:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let minutes = self.0.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

/// The extension's version as its manifest writes it: one to four numbers from 0 to 65535,
/// separated by dots, without leading zeros (`1.4.2`), as Chrome requires of a manifest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExtensionVersion {
    parts: [u16; 4],
    len: u8,
}

impl ExtensionVersion {
    /// The version `text` spells exactly.
    pub fn parse(text: &str) -> Option<Self> {
        let mut version = Self {
            parts: [0; 4],
            len: 0,
        };
        for part in text.split('.') {
            let shaped = !part.is_empty()
                && part.len() <= 5
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'));
            if !shaped {
                return None;
            }
            let slot = version.parts.get_mut(usize::from(version.len))?;
            *slot = part.parse().ok()?;
            version.len += 1;
        }
        Some(version)
    }

    /// Its numbers.
    pub fn parts(&self) -> &[u16] {
        self.parts.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl fmt::Display for ExtensionVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ExtensionVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// How many times each event happened, each at most its [`Event::max_count`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EventCounts([u32; EVENT_KINDS]);

impl EventCounts {
    /// How many times `event` happened.
    pub fn get(&self, event: Event) -> u32 {
        self.0.get(event.index()).copied().unwrap_or(0)
    }

    /// Sets `event`'s count; `false` (and nothing changed) when it is over the event's bound.
    pub fn set(&mut self, event: Event, count: u32) -> bool {
        if count > event.max_count() {
            return false;
        }
        if let Some(slot) = self.0.get_mut(event.index()) {
            *slot = count;
        }
        true
    }

    /// Each event that happened, with its count, in the list's order.
    pub fn nonzero(&self) -> impl Iterator<Item = (Event, u32)> + '_ {
        Event::ALL
            .iter()
            .map(|event| (*event, self.get(*event)))
            .filter(|(_, count)| *count > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_one_spelling() {
        let text = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b";
        let id = AnonymousId::parse(text).expect("a v4 uuid");
        assert_eq!(id.to_string(), text);
        for bad in [
            "1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B", // upper case
            "1b4e28ba-2fa1-1d3b-a3f5-ef19b5a7633b", // version 1
            "1b4e28ba-2fa1-4d3b-c3f5-ef19b5a7633b", // variant 110
            "1b4e28ba2fa14d3ba3f5ef19b5a7633b",     // no hyphens
            "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633",  // short
            "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633bb",
            "1b4e28ba-2fa1-4d3b-a3f5_ef19b5a7633b",
            "{1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633}",
            "00000000-0000-0000-0000-000000000000",
            "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633é",
        ] {
            assert_eq!(AnonymousId::parse(bad), None, "{bad}");
        }
        let made = AnonymousId::from_random([0xFF; 16]);
        assert_eq!(made.to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(AnonymousId::parse(&made.to_string()), Some(made));
        let zero = AnonymousId::from_random([0; 16]);
        assert_eq!(zero.to_string(), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn closed_sets_read_only_their_names() {
        assert_eq!(BrowserFamily::parse("edge"), Some(BrowserFamily::Edge));
        assert_eq!(BrowserFamily::parse("Edge"), None);
        assert_eq!(OsFamily::parse("cros"), None, "the batch names it chromeos");
        assert_eq!(Event::parse("coupon_filled"), Some(Event::CouponFilled));
        assert_eq!(Event::parse("page_viewed"), None);
        for set in [
            BrowserFamily::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
            OsFamily::ALL.iter().map(|v| v.as_str()).collect(),
            Event::ALL.iter().map(|v| v.as_str()).collect(),
        ] {
            for (i, name) in set.iter().enumerate() {
                assert!(!set[..i].contains(name), "{name} twice");
            }
        }
        assert_eq!(parse_language("pt_BR"), Some(Some(UiLanguage::PtBr)));
        assert_eq!(parse_language("other"), Some(None));
        assert_eq!(parse_language("it"), None);
        assert_eq!(language_name(None), "other");
    }

    #[test]
    fn bounded_values() {
        assert_eq!(
            Country::parse("BR")
                .map(|c| c.as_str().to_owned())
                .as_deref(),
            Some("BR")
        );
        assert_eq!(Country::parse("ZZ"), Some(Country::UNKNOWN));
        for bad in ["UK", "us", "USA", "", "XK", "Z"] {
            assert_eq!(Country::parse(bad), None, "{bad}");
        }
        assert_eq!(BrowserMajor::new(131).map(BrowserMajor::get), Some(131));
        for bad in [0, 1000, 70_000, u64::MAX] {
            assert_eq!(BrowserMajor::new(bad), None, "{bad}");
        }
        for (minutes, text) in [
            (-300, "-05:00"),
            (330, "+05:30"),
            (0, "+00:00"),
            (840, "+14:00"),
            (-720, "-12:00"),
            (345, "+05:45"),
        ] {
            assert_eq!(
                UtcOffset::new(minutes).map(|o| o.to_string()).as_deref(),
                Some(text)
            );
        }
        for bad in [-735, 855, 7, 1_000_000, i64::MIN] {
            assert_eq!(UtcOffset::new(bad), None, "{bad}");
        }
        for good in ["1", "0.1", "1.4.2", "65535.0.0.65535", "10.20.30"] {
            assert_eq!(
                ExtensionVersion::parse(good)
                    .map(|v| v.to_string())
                    .as_deref(),
                Some(good)
            );
        }
        for bad in [
            "",
            "1.",
            ".1",
            "1..2",
            "01",
            "1.02",
            "65536",
            "1.2.3.4.5",
            "1.2b",
            "v1",
            "1,2",
            "-1",
            "1 .2",
            "000000",
        ] {
            assert_eq!(ExtensionVersion::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn counts_hold_their_bounds() {
        let mut counts = EventCounts::default();
        assert!(counts.set(Event::PopupOpened, 3));
        assert!(counts.set(Event::LinkRewritten, 100_000));
        assert!(!counts.set(Event::CouponCopied, 1_001));
        assert!(!counts.set(Event::ModeChanged, 101));
        assert_eq!(counts.get(Event::CouponCopied), 0);
        assert_eq!(
            counts.nonzero().collect::<Vec<_>>(),
            [(Event::PopupOpened, 3), (Event::LinkRewritten, 100_000)]
        );
    }
}
