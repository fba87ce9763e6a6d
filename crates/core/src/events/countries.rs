//! The countries a usage batch may name: ISO 3166-1's officially assigned alpha-2 codes (249;
//! user-assigned codes such as `XK` are not among them), and `ZZ` for a shopper whose country
//! the extension does not know.

/// Each first letter with the second letters of the codes it starts, in order.
const ASSIGNED: [(u8, &[u8]); 25] = [
    (b'A', b"DEFGILMOQRSTUWXZ"),
    (b'B', b"ABDEFGHIJLMNOQRSTVWYZ"),
    (b'C', b"ACDFGHIKLMNORUVWXYZ"),
    (b'D', b"EJKMOZ"),
    (b'E', b"CEGHRST"),
    (b'F', b"IJKMOR"),
    (b'G', b"ABDEFGHILMNPQRSTUWY"),
    (b'H', b"KMNRTU"),
    (b'I', b"DELMNOQRST"),
    (b'J', b"EMOP"),
    (b'K', b"EGHIMNPRWYZ"),
    (b'L', b"ABCIKRSTUVY"),
    (b'M', b"ACDEFGHKLMNOPQRSTUVWXYZ"),
    (b'N', b"ACEFGILOPRUZ"),
    (b'O', b"M"),
    (b'P', b"AEFGHKLMNRSTWY"),
    (b'Q', b"A"),
    (b'R', b"EOSUW"),
    (b'S', b"ABCDEGHIJKLMNORSTVXYZ"),
    (b'T', b"CDFGHJKLMNORTVWZ"),
    (b'U', b"AGMSYZ"),
    (b'V', b"ACEGINU"),
    (b'W', b"FS"),
    (b'Y', b"ET"),
    (b'Z', b"AMW"),
];

/// The code for "country not known" (ISO 3166 leaves `ZZ` to users; CLDR uses it so).
pub(super) const UNKNOWN: [u8; 2] = *b"ZZ";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code, upper-case.
pub(super) fn is_assigned(code: [u8; 2]) -> bool {
    let [first, second] = code;
    ASSIGNED
        .iter()
        .find(|(letter, _)| *letter == first)
        .is_some_and(|(_, seconds)| seconds.contains(&second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_iso_3166_1() {
        let all: Vec<[u8; 2]> = ASSIGNED
            .iter()
            .flat_map(|(first, seconds)| seconds.iter().map(move |second| [*first, *second]))
            .collect();
        assert_eq!(all.len(), 249);
        assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        for code in [
            *b"US", *b"BR", *b"GB", *b"RU", *b"ES", *b"AX", *b"SS", *b"ZW",
        ] {
            assert!(is_assigned(code), "{code:?}");
        }
        // Not assigned: AliExpress's `UK`, Kosovo's user-assigned `XK`, the unknown `ZZ`, the
        // withdrawn `AN` and `YU`, lower case.
        for code in [*b"UK", *b"XK", *b"ZZ", *b"AN", *b"YU", *b"us", *b"EU"] {
            assert!(!is_assigned(code), "{code:?}");
        }
    }
}
