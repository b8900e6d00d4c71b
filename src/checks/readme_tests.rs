//! The README's table of check kinds against the registry: a kind, a
//! parameter or a placeholder the code declares and the README does not
//! say (or says and the code does not have) fails here.

use super::KINDS;

const README: &str = include_str!("../../README.md");
const HEADER: &str =
    "| check | parameters | one violation per record that… | message placeholders |";

/// The table's rows, each cut into its cells.
fn rows() -> Vec<Vec<String>> {
    let start = README
        .find(HEADER)
        .expect("the README has the table of check kinds");
    README[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The words in backticks of a cell.
fn quoted(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The `{placeholders}` of a cell, in order.
fn placeholders(cell: &str) -> Vec<&str> {
    cell.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}'))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn the_readme_table_of_check_kinds_is_the_registry() {
    let rows = rows();
    let names: Vec<&str> = rows.iter().map(|r| r[0].trim_matches('`')).collect();
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    assert_eq!(
        names, kinds,
        "the README lists the kinds in the registry's order"
    );
    let every_key: Vec<&str> = KINDS.iter().flat_map(|k| k.params).map(|p| p.key).collect();
    for (row, kind) in rows.iter().zip(KINDS) {
        let said: Vec<&str> = quoted(&row[1])
            .into_iter()
            .filter(|w| every_key.contains(w))
            .collect();
        for param in kind.params {
            assert!(
                said.contains(&param.key),
                "{}: the README names `{}`",
                kind.name,
                param.key
            );
        }
        for word in &said {
            assert!(
                kind.params.iter().any(|p| p.key == *word),
                "{}: the README names `{word}`, which it does not take",
                kind.name
            );
        }
        let declared: Vec<&str> = kind.placeholders.iter().map(|p| p.name).collect();
        assert_eq!(
            placeholders(&row[3]),
            declared,
            "{}: its placeholders",
            kind.name
        );
        for p in kind.placeholders.iter().filter(|p| p.key != p.name) {
            assert!(
                row[3].contains(&format!("{{{}}}` (`{}`)", p.name, p.key))
                    || row[3].contains(&format!("{{{}}} (`{}`)", p.name, p.key)),
                "{}: the README says {{{}}} fills from `{}`",
                kind.name,
                p.name,
                p.key
            );
        }
    }
}
