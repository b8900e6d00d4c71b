//! `crm-audit init`: writes a starter `crm-audit.toml` in the current folder
//! that extends the built-in regulation, with the settings a company
//! changes first written out as comments. Never replaces a file.

use super::Status;
use super::CONFIG_FILE;
use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// The starter file, as `init` writes it.
pub const STARTER: &str = include_str!("starter.toml");

/// Writes the starter file into `folder`; `out` hears what was written.
pub fn run(folder: &Path, out: &mut dyn Write) -> anyhow::Result<Status> {
    let path = folder.join(CONFIG_FILE);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot create {CONFIG_FILE}{}",
                if path.exists() {
                    " (it exists; init never replaces a rule file)"
                } else {
                    ""
                }
            )
        })?;
    file.write_all(STARTER.as_bytes())
        .with_context(|| format!("cannot write {CONFIG_FILE}"))?;
    writeln!(
        out,
        "wrote {CONFIG_FILE}: the built-in regulation, with the settings to change as comments"
    )?;
    Ok(Status::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn the_starter_compiles_to_the_built_in_rules() {
        let starter = RuleSet::from_text(STARTER, CONFIG_FILE).unwrap();
        let builtin = RuleSet::builtin();
        let names = |r: &RuleSet| r.rules.iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(names(&starter), names(&builtin));
    }

    #[test]
    fn every_commented_setting_compiles_when_uncommented() {
        // A person uncomments lines: each block must then be valid TOML the
        // rule set accepts, or the starter teaches a mistake.
        let uncommented: String = STARTER
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(uncommented, STARTER);
        let rules = RuleSet::from_text(&uncommented, CONFIG_FILE)
            .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert!(rules.crm_url.is_some());
        assert_eq!(rules.language, crate::lang::Lang::En);
        assert!(rules.csv_excel);
    }
}
