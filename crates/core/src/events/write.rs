//! The one writer of a usage batch, as the extension will send it: the fields in the order the
//! format lists them, and only the events that happened.

use super::fields::language_name;
use super::{Batch, SCHEMA};
use crate::codec::json::Writer;

impl Batch {
    /// The batch as JSON (the shape [`super::read_batch`] reads).
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("schema");
        w.unsigned(SCHEMA);
        w.key("id");
        w.string(&self.id.to_string());
        w.key("browser");
        w.string(self.browser.as_str());
        w.key("browser_major");
        w.unsigned(u64::from(self.browser_major.get()));
        w.key("os");
        w.string(self.os.as_str());
        w.key("country");
        w.string(self.country.as_str());
        w.key("language");
        w.string(language_name(self.language));
        w.key("utc_offset");
        w.signed(i64::from(self.utc_offset.minutes()));
        w.key("extension_version");
        w.string(&self.extension_version.to_string());
        w.key("counts");
        w.nested(|w| {
            w.begin_object();
            for (event, count) in self.counts.nonzero() {
                w.key(event.as_str());
                w.unsigned(u64::from(count));
            }
            w.end_object();
        });
        w.end_object();
        w.finish()
    }
}
