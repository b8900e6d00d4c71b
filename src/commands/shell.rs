//! `crm-audit completions SHELL` and `crm-audit man`: the shell completion
//! scripts and the manual page, generated from the command line's own
//! definitions so they cannot drift from it.

use super::Status;
use clap::ValueEnum;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells completion scripts are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The completion script for `shell` of `command`, the whole command line.
pub fn completions(
    shell: Shell,
    mut command: clap::Command,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(generator, &mut command, "crm-audit", out);
    Ok(Status::Clean)
}

/// The manual page of `command`, the whole command line.
pub fn man(command: clap::Command, out: &mut dyn Write) -> anyhow::Result<Status> {
    clap_mangen::Man::new(command).render(out)?;
    Ok(Status::Clean)
}
