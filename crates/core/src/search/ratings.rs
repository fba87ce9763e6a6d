//! The least rating a request asks for: a number from 0 to 5 that a star word follows ("4+ stars",
//! "4,5 estrelas ou mais", "mindestens 4 Sterne", "от 4 звезд", "★4.5") or a rating word
//! precedes ("rated 4 or more", "рейтинг 4,5"), with the "at least" and "or more" around it.

use super::numbers;
use super::query::{Class, Query};
use super::vocabulary::Role;
use super::SearchRequest;

/// Takes every rating phrase; the first one read is the request's.
pub(super) fn read(query: &mut Query, request: &mut SearchRequest) {
    let mut i = 0;
    while i < query.tokens.len() {
        match rating_at(query, i) {
            Some((from, to, stars)) => {
                query.take(from, to);
                request.min_rating = request.min_rating.or(Some(stars));
                i = to;
            }
            None => i += 1,
        }
    }
}

/// The rating whose number is token `i`: where its phrase starts and ends, and the stars.
// Out of line: inlined, each reader would copy it (WASM size).
#[inline(never)]
fn rating_at(query: &Query, i: usize) -> Option<(usize, usize, f64)> {
    if !query.free(i, 1) {
        return None;
    }
    let stars = match query.class(i)? {
        Class::Number => {
            // Part of a model name (`a54`, `s24`) when glued to the word before.
            let previous = i.checked_sub(1).and_then(|p| query.class(p));
            if query.glued(i) && matches!(previous, Some(Class::Word | Class::Number)) {
                return None;
            }
            numbers::value(query.text(i))?
        }
        Class::Word if query.at(i, Role::Digit) == 1 => f64::from(query.digit(i)),
        _ => return None,
    };
    if !(stars > 0.0 && stars <= 5.0) {
        return None;
    }
    let mut end = i + 1;
    if query.class(end) == Some(Class::Plus) && query.free(end, 1) && !query.parted(end) {
        end += 1;
    }
    // "4.5/5"
    if query.class(end) == Some(Class::Slash)
        && query.class(end + 1) == Some(Class::Number)
        && numbers::value(query.text(end + 1)) == Some(5.0)
        && query.free(end, 2)
        && !query.parted(end)
    {
        end += 2;
    }
    let star = query.next(end, Role::Star);
    // A number glued to a word that is not a star word is a model or a unit (`5g`, `4k`).
    if star == 0 && query.glued(end) && query.class(end) == Some(Class::Word) {
        return None;
    }
    end += star;

    let mut start = i;
    let star_before = i > 0 && query.is(i - 1, Role::Star, 1);
    if star_before {
        start -= 1;
    }
    if let Some(k) = query.ending_at(start, Role::AtLeast) {
        start = k;
    }
    let mut rated = false;
    if let Some(k) = query.ending_at(start, Role::RatingWord) {
        start = k;
        rated = true;
    } else if let Some(k) = query
        .ending_at(start, Role::Filler)
        .and_then(|f| query.ending_at(f, Role::RatingWord))
    {
        // "rating of 4.5", "nota de 4"
        start = k;
        rated = true;
    }
    if star == 0 && !star_before && !rated {
        return None;
    }
    // "under 4 stars" asks for no least rating.
    if query.ending_at(start, Role::AtMost).is_some() {
        return None;
    }
    end += query.next(end, Role::OrMore);
    Some((start, end, stars))
}
