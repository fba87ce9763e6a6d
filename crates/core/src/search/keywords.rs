//! The product words: every word and number no reader took, without filler ("I'm looking
//! for", "the", "para", "pour", "mit", "для"), joined as typed (lower-case), so `USB-C`,
//! `20000mAh`, `iPhone 15` and `men's` come out as `usb-c`, `20000mah`, `iphone 15`, `men's`.

use super::query::{Class, Query};
use super::vocabulary::Role;

/// Takes the filler words and returns the keywords.
pub(super) fn read(query: &mut Query) -> String {
    let count = query.tokens.len();
    let mut i = 0;
    while i < count {
        let len = query.at(i, Role::Filler);
        if len > 0 && !(len == 1 && model_letter(query, i)) && !hyphenated(query, i, len) {
            query.take(i, i + len);
            i += len;
        } else {
            i += 1;
        }
    }

    let mut keywords = String::with_capacity(query.lower.len() + count);
    let mut last_kept: Option<usize> = None;
    for i in 0..count {
        let Some(token) = query.tokens.get(i) else {
            break;
        };
        if token.used {
            continue;
        }
        let follows = i > 0 && last_kept == Some(i - 1) && token.glued;
        let keep = match token.class {
            Class::Word | Class::Number => true,
            // `usb-c`, `3-in-1`: a dash between two kept words it touches.
            Class::Dash => {
                let next = query.tokens.get(i + 1);
                follows
                    && next.is_some_and(|n| {
                        n.glued && !n.used && matches!(n.class, Class::Word | Class::Number)
                    })
            }
            // `c++`, `wi-fi 6+`
            Class::Plus => follows,
            Class::Slash | Class::Symbol => false,
        };
        if !keep {
            continue;
        }
        if !keywords.is_empty() && !follows {
            keywords.push(' ');
        }
        keywords.push_str(query.text(i));
        last_kept = Some(i);
    }
    keywords
}

/// A lone capital is a model letter, not an article or a conjunction: `USB A`, `Vitamin E`.
fn model_letter(query: &Query, i: usize) -> bool {
    query.tokens.get(i).is_some_and(|t| t.caps) && query.text(i).chars().nth(1).is_none()
}

/// A filler word hyphenated to the next or previous word is part of a compound: `o-ring`,
/// `e-bike`, `a-line`.
fn hyphenated(query: &Query, i: usize, len: usize) -> bool {
    let dash_after = query.class(i + len) == Some(Class::Dash) && query.glued(i + len);
    let dash_before = i > 0 && query.class(i - 1) == Some(Class::Dash) && query.glued(i);
    dash_after || dash_before
}
