//! Message templates: the one-line text of a violation, written in the rule
//! file with `{placeholder}` slots that the rule's check fills. Parsed and
//! checked once when the rule set compiles, so rendering cannot fail.

/// A parsed message template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
    /// The template as the rule file writes it.
    source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// The key of the value that fills the slot.
    Slot(&'static str),
}

/// A `{name}` a message may use, filled from the value under `key` (a
/// violation's detail, as the JSON report names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub key: &'static str,
}

impl Placeholder {
    /// A placeholder filled from the key of its own name.
    pub const fn new(name: &'static str) -> Placeholder {
        Placeholder { name, key: name }
    }

    /// A placeholder filled from another key (`{late}` from `late_minutes`).
    pub const fn from_key(name: &'static str, key: &'static str) -> Placeholder {
        Placeholder { name, key }
    }
}

impl Template {
    /// Parses `text`; `allowed` lists the placeholders, each filled from
    /// the key of its name.
    pub fn parse(text: &str, allowed: &[&'static str]) -> Result<Template, String> {
        let allowed: Vec<Placeholder> = allowed.iter().map(|n| Placeholder::new(n)).collect();
        Template::parse_placeholders(text, &allowed)
    }

    /// Parses `text`; `allowed` lists the placeholders the check fills.
    /// `{{` and `}}` stand for literal braces.
    pub fn parse_placeholders(text: &str, allowed: &[Placeholder]) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[i + 1..];
                    let end = rest
                        .find('}')
                        .ok_or_else(|| format!("unclosed `{{` in message template `{text}`"))?;
                    let name = &rest[..end];
                    let slot = allowed.iter().find(|a| a.name == name).ok_or_else(|| {
                        if allowed.is_empty() {
                            format!(
                                "unknown placeholder `{{{name}}}`: this rule's message takes none"
                            )
                        } else {
                            let list: Vec<String> =
                                allowed.iter().map(|a| format!("{{{}}}", a.name)).collect();
                            format!(
                                "unknown placeholder `{{{name}}}`; this rule's message can use {}",
                                list.join(", ")
                            )
                        }
                    })?;
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Slot(slot.key));
                    for _ in 0..=name.chars().count() {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(format!(
                        "lone `}}` in message template `{text}`; write `}}}}`"
                    ))
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template {
            pieces,
            source: text.to_string(),
        })
    }

    /// The template as written, for `crm-audit explain`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Fills the slots with `value(key)`, the key of each placeholder.
    pub fn render(&self, value: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for part in self.parts() {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Slot(key) => out.push_str(&value(key)),
            }
        }
        out
    }

    /// The template in order: its own text and its slots. A writer that
    /// changes the text on its way (the JSON's escaping) writes it from
    /// these without a copy of the whole.
    pub fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        self.pieces.iter().map(|piece| match piece {
            Piece::Text(t) => Part::Text(t),
            Piece::Slot(key) => Part::Slot(key),
        })
    }
}

/// A piece of a template (`Template::parts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'t> {
    Text(&'t str),
    /// A placeholder, by the key of the value that fills it.
    Slot(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_slots_and_escaped_braces() {
        let t = Template::parse("due {due}, {{late}} {late}", &["due", "late"]).unwrap();
        let out = t.render(|n| match n {
            "due" => "26.11.2026".into(),
            _ => "3 h".into(),
        });
        assert_eq!(out, "due 26.11.2026, {late} 3 h");
    }

    #[test]
    fn non_ascii_text_around_slots() {
        let t = Template::parse("этап «{stage}» без задачи", &["stage"]).unwrap();
        assert_eq!(t.render(|_| "Счет".into()), "этап «Счет» без задачи");
    }

    #[test]
    fn rejects_unknown_and_unclosed_placeholders() {
        let e = Template::parse("{dew}", &["due", "late"]).unwrap_err();
        assert!(
            e.contains("unknown placeholder `{dew}`") && e.contains("{due}, {late}"),
            "{e}"
        );
        assert!(Template::parse("due {due", &["due"])
            .unwrap_err()
            .contains("unclosed"));
        assert!(Template::parse("a } b", &[]).unwrap_err().contains("lone"));
        assert!(Template::parse("{x}", &[])
            .unwrap_err()
            .contains("takes none"));
    }
}
