//! Quoting untrusted text inside an error message.

/// `text` in double quotes with `"`, `\` and control characters escaped as `{:?}` escapes them
/// (`\"`, `\\`, `\n`, `\u{1}`). Why not `{:?}` itself: it carries Unicode tables to escape the
/// non-printable characters beyond ASCII, about 5 KB of the extension's WASM for a reason
/// string; those characters are written as they are here.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&format!("{:x}", u32::from(c)));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_debug_does() {
        for text in [
            "",
            "plain",
            "say \"hi\" \\ there",
            "tab\tnew\nline\rnul\0",
            "\u{1}\u{1f}\u{7f}\u{80}\u{9f}",
            "ünï€😀 'single'",
        ] {
            assert_eq!(quoted(text), format!("{text:?}"), "{text}");
        }
    }
}
