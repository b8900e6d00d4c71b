//! Escaping client-typed text for the markup formats: HTML (and JUnit's
//! XML, which takes the same five entities), Markdown table cells and the
//! links in them, and the terminal table. A deal named `<script>…` must
//! show as text, never run; a deal name carrying an escape sequence must
//! show as text, never reach the terminal.

/// Text for HTML or XML content and attribute values. Control characters
/// and non-characters (U+FFFE, U+FFFF, …), which XML forbids or a reader
/// may refuse, become U+FFFD, so the document stays well-formed.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// U+FDD0 to U+FDEF and the last two code points of every plane: never
/// text, and U+FFFE and U+FFFF are not XML characters at all.
fn is_noncharacter(c: char) -> bool {
    let c = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&c) || c & 0xFFFE == 0xFFFE
}

/// Text for a Markdown table cell: the characters that would start
/// emphasis, code, a link or an entity, or end the cell, are
/// backslash-escaped; `<`, `>` and `&` become entities, since not every
/// Markdown viewer honours a backslash before `<` and raw HTML would
/// render; line breaks become spaces.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for the terminal: control characters (but the line break) and the
/// marks that reorder text (bidirectional overrides and isolates) are
/// written as `\u{1b}`, so text from an export cannot move the cursor,
/// retitle the window or hide what follows it.
pub fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_terminal_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_terminal_escape(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_terminal_escape(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A URL inside a Markdown link's parentheses, in a table cell.
pub fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '|' => out.push_str("%7C"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target that is a web address, or `None`: a CRM link is only
/// ever followed when it is `http(s)://`.
pub fn web_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_cannot_become_markup() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html("ООО \"Рога & Копыта\" 'x'"),
            "ООО &quot;Рога &amp; Копыта&quot; &#39;x&#39;"
        );
        assert_eq!(html("a\u{1}b\nc"), "a\u{FFFD}b\nc");
    }

    #[test]
    fn xml_text_has_no_noncharacters() {
        assert_eq!(html("a\u{FFFE}b\u{FFFF}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(
            html("\u{FDD0}\u{1FFFF}\u{10FFFE}"),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(html("\u{FFFD}\u{FFFC}\u{FDCF}"), "\u{FFFD}\u{FFFC}\u{FDCF}");
    }

    #[test]
    fn terminal_text_cannot_drive_the_terminal() {
        assert_eq!(terminal("Окна\u{1b}[2J ПВХ"), "Окна\\u{1b}[2J ПВХ");
        assert_eq!(terminal("a\u{7}\u{9b}b\tc"), "a\\u{7}\\u{9b}b\\u{9}c");
        assert_eq!(terminal("abc\u{202E}def"), "abc\\u{202e}def");
        assert_eq!(terminal("две\nстроки"), "две\nстроки");
        assert!(matches!(
            terminal("Радиаторы № 37"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn markdown_cells_stay_cells() {
        assert_eq!(markdown("a | b"), "a \\| b");
        assert_eq!(
            markdown("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(
            markdown("[x](http://evil) <img src=x onerror=alert(1)>"),
            "\\[x\\](http://evil) &lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(markdown("line\nbreak"), "line break");
        assert_eq!(markdown("&amp; \\"), "&amp;amp; \\\\");
        assert_eq!(markdown("Радиаторы № 37"), "Радиаторы № 37");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(web_url("https://example.amocrm.ru/leads/detail/1").is_some());
        assert!(web_url("HTTP://crm.local/1").is_some());
        assert!(web_url("javascript:alert(1)").is_none());
        assert!(web_url("").is_none());
    }

    #[test]
    fn markdown_urls_cannot_close_the_link() {
        assert_eq!(
            markdown_url("https://crm/x (1)|y"),
            "https://crm/x%20%281%29%7Cy"
        );
    }
}
