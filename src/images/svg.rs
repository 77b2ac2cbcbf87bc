//! The size of an SVG image, from its root element's `width` and `height` (in pixels) or its
//! `viewBox`: enough for `width` and `height` in the page, without an SVG renderer.

/// The size the root `<svg>` element gives, if it gives one; an error if the file is no SVG.
pub fn size(bytes: &[u8]) -> Result<Option<(u32, u32)>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not an SVG image (not UTF-8 text)")?;
    let start = text
        .find("<svg")
        .ok_or("it is not an SVG image (there is no <svg> element)")?;
    let tag = &text[start + 4..];
    let tag = &tag[..tag.find('>').ok_or("its <svg> element is not closed")?];
    let length = |name: &str| attribute(tag, name).and_then(|v| pixels(&v));
    let view_box = attribute(tag, "viewBox").and_then(|v| {
        let numbers: Vec<f64> = v
            .split([' ', ',', '\t', '\n'])
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        match numbers[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    let round = |x: f64| x.round().max(1.0) as u32;
    Ok(match (length("width"), length("height"), view_box) {
        (Some(w), Some(h), _) => Some((round(w), round(h))),
        (Some(w), None, Some((vw, vh))) => Some((round(w), round(w * vh / vw))),
        (None, Some(h), Some((vw, vh))) => Some((round(h * vw / vh), round(h))),
        (None, None, Some((vw, vh))) => Some((round(vw), round(vh))),
        _ => None,
    })
}

/// A length in pixels: `120` or `120px` (a percentage or another unit says nothing of pixels).
fn pixels(value: &str) -> Option<f64> {
    let value = value.trim();
    let number = value.strip_suffix("px").unwrap_or(value);
    number
        .parse::<f64>()
        .ok()
        .filter(|n| *n > 0.0 && n.is_finite())
}

/// The value of the attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        return value[1..].split(quote).next().map(str::to_string);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_size_from_attributes_or_the_view_box() {
        let size = |s: &str| size(s.as_bytes()).unwrap();
        assert_eq!(
            size("<svg width=\"120\" height=\"80px\"></svg>"),
            Some((120, 80))
        );
        assert_eq!(
            size("<?xml?>\n<svg xmlns=\"x\" viewBox=\"0 0 300 150\">"),
            Some((300, 150))
        );
        assert_eq!(
            size("<svg width='600' viewBox='0,0,300,150'>"),
            Some((600, 300))
        );
        assert_eq!(size("<svg stroke-width=\"2\" width=\"100%\">"), None);
    }

    #[test]
    fn refuses_what_is_not_svg() {
        assert_eq!(
            size(b"<html></html>").unwrap_err(),
            "it is not an SVG image (there is no <svg> element)"
        );
    }
}
