//! Escaping text for the formats karvan writes: HTML and XML.

/// Escapes what HTML needs escaped, and no more: Tera 1's default also escaped `/`, which bloats
/// every URL (`&#x2F;`) for no safety gain in quoted attributes and text.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut start = 0;
    for (i, byte) in input.bytes().enumerate() {
        if let Some(entity) = html_entity(byte) {
            out.push_str(&input[start..i]);
            out.push_str(entity);
            start = i + 1;
        }
    }
    out.push_str(&input[start..]);
    out
}

/// [`html`] written to `out`: Tera's escape function, so that what templates print is escaped the
/// same way as the rest of karvan's HTML.
pub fn write_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut start = 0;
    for (i, byte) in input.bytes().enumerate() {
        if let Some(entity) = html_entity(byte) {
            out.write_all(&input.as_bytes()[start..i])?;
            out.write_all(entity.as_bytes())?;
            start = i + 1;
        }
    }
    out.write_all(&input.as_bytes()[start..])
}

/// The entity of a byte HTML needs escaped (all are ASCII, so splitting around them keeps the
/// text valid UTF-8).
fn html_entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Escapes text for XML (sitemap, feeds): the five predefined entities.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(
            html("<a href=\"/x\">'&'</a>"),
            "&lt;a href=&quot;/x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(xml("a & 'b'"), "a &amp; &apos;b&apos;");
    }

    #[test]
    fn writing_escapes_like_the_string_version() {
        for input in [
            "",
            "plain",
            "<a href=\"/x\">'&'</a>",
            "Müvəqqəti & «ev»",
            "&",
        ] {
            let mut written = Vec::new();
            write_html(input, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), html(input));
        }
    }
}
