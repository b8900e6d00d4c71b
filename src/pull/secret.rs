//! A source's secret (an API key, a token): read from a file only its owner
//! can read, or from the environment; never from the command line, where
//! `ps` and shell history would show it. It prints as `***` and is
//! scrubbed from every message that could carry it.

use anyhow::{bail, Context};
use std::fmt;
use std::path::Path;

/// A secret. `Debug` and `Display` show `***`; [`Secret::expose`] is the
/// one way to the value, for signing or sending a request.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The secret from `file` when given, else from the environment variable
/// `var`. A file that group or others may open is refused: the key would
/// be one `cat` away for every user of the machine.
pub fn load(file: Option<&Path>, var: &str) -> anyhow::Result<Secret> {
    load_given(file, "--secret-file", var)
}

/// [`load`] for a source whose file flag has another name (`--token-file`).
pub fn load_given(file: Option<&Path>, flag: &str, var: &str) -> anyhow::Result<Secret> {
    let value = match file {
        Some(file) => read_file(file)?,
        None => match std::env::var(var) {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => {
                bail!("no secret: give {flag} FILE (mode 600) or set {var}")
            }
            Err(std::env::VarError::NotUnicode(_)) => bail!("{var} is not valid UTF-8"),
        },
    };
    let value = value.trim();
    if value.is_empty() {
        match file {
            Some(file) => bail!("{}: the secret file is empty", file.display()),
            None => bail!("{var} is empty"),
        }
    }
    Ok(Secret(value.to_string()))
}

fn read_file(file: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(file)
        .with_context(|| format!("{}: cannot read the secret file", file.display()))?;
    check_private(file, &meta)?;
    let bytes = std::fs::read(file)
        .with_context(|| format!("{}: cannot read the secret file", file.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the secret file is not UTF-8 text", file.display()))
}

#[cfg(unix)]
fn check_private(file: &Path, meta: &std::fs::Metadata) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        bail!(
            "{}: the secret file is open to group or others (mode {mode:04o}); \
             run `chmod 600 {}`",
            file.display(),
            file.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_file: &Path, _meta: &std::fs::Metadata) -> anyhow::Result<()> {
    Ok(())
}

/// Replaces every secret in a text with `***`: for messages built from
/// URLs or from what a server sent back, which may echo a key.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<Secret>,
}

impl Redactor {
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> Redactor {
        let mut secrets: Vec<Secret> = secrets.into_iter().filter(|s| !s.0.is_empty()).collect();
        // The longest first, so a secret containing another is wholly hidden.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        Redactor { secrets }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in &self.secrets {
            text = text.replace(secret.expose(), "***");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("k3y");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
    }

    #[test]
    fn the_redactor_hides_every_secret() {
        let r = Redactor::new([Secret::new("abc"), Secret::new("abcdef")]);
        assert_eq!(r.redact("x?key=abcdef&h=abc"), "x?key=***&h=***");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key");
        std::fs::write(&file, "k3y\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let e = load(Some(&file), "UNUSED_VAR").unwrap_err().to_string();
        assert!(e.contains("mode 0640"), "{e}");
        assert!(
            e.contains(&format!("run `chmod 600 {}`", file.display())),
            "{e}"
        );
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(load(Some(&file), "UNUSED_VAR").unwrap().expose(), "k3y");
    }
}
