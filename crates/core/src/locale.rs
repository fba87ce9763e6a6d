//! The six languages the extension's interface speaks (its `_locales`), read from a browser's
//! language tag: the one list the anonymous usage counts and Smart Search's product results
//! (the language the affiliate API answers in) both name.

/// A language of the extension's interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UiLanguage {
    /// English, also what the interface shows in a language it does not speak.
    En,
    /// German.
    De,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese, as spoken in Brazil.
    PtBr,
    /// Russian.
    Ru,
}

impl UiLanguage {
    /// Every one, in the order the extension's locales are listed.
    pub const ALL: [Self; 6] = [Self::En, Self::De, Self::Es, Self::Fr, Self::PtBr, Self::Ru];

    /// Its name as the extension's `_locales` folder and `chrome.i18n.getMessage("@@ui_locale")`
    /// spell it (`en`, `pt_BR`): the one spelling the usage counts carry.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Es => "es",
            Self::Fr => "fr",
            Self::PtBr => "pt_BR",
            Self::Ru => "ru",
        }
    }

    /// The language whose [`UiLanguage::as_str`] is exactly `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|language| language.as_str() == name)
    }

    /// The language a browser's tag asks for (`pt-BR`, `pt_PT`, `de-AT`, `EN`, `ru`), by its
    /// primary subtag: Portuguese of any country is the interface's Brazilian Portuguese, the
    /// only Portuguese it has. `None` for a language it does not speak, or no tag.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "de" => Some(Self::De),
            "es" => Some(Self::Es),
            "fr" => Some(Self::Fr),
            "pt" => Some(Self::PtBr),
            "ru" => Some(Self::Ru),
            _ => None,
        }
    }

    /// The affiliate API's `target_language` for it (`EN`, `PT`): the API names languages, not
    /// countries.
    pub fn api_language(self) -> &'static str {
        match self {
            Self::En => "EN",
            Self::De => "DE",
            Self::Es => "ES",
            Self::Fr => "FR",
            Self::PtBr => "PT",
            Self::Ru => "RU",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_tags_read_by_their_language() {
        for language in UiLanguage::ALL {
            assert_eq!(UiLanguage::parse(language.as_str()), Some(language));
            assert_eq!(UiLanguage::from_tag(language.as_str()), Some(language));
        }
        for (tag, want) in [
            ("pt-BR", Some(UiLanguage::PtBr)),
            ("pt_PT", Some(UiLanguage::PtBr)),
            ("pt", Some(UiLanguage::PtBr)),
            ("de-AT", Some(UiLanguage::De)),
            ("EN-us", Some(UiLanguage::En)),
            ("es-419", Some(UiLanguage::Es)),
            ("it", None),
            ("zh-Hans-CN", None),
            ("", None),
            ("english", None),
        ] {
            assert_eq!(UiLanguage::from_tag(tag), want, "{tag}");
        }
        // The folder spelling only: `pt-BR` is a tag, not a name.
        assert_eq!(UiLanguage::parse("pt-BR"), None);
        assert_eq!(UiLanguage::parse("EN"), None);
        assert_eq!(UiLanguage::PtBr.api_language(), "PT");
    }

    #[test]
    fn the_six_are_the_extensions_locales() {
        let folders =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../extension/_locales");
        let mut found: Vec<String> = std::fs::read_dir(folders)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        let mut ours: Vec<&str> = UiLanguage::ALL.iter().map(|l| l.as_str()).collect();
        ours.sort_unstable();
        assert_eq!(found, ours);
    }
}
