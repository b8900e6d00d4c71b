//! `crm-audit completions SHELL` and `crm-audit man`: the shell completion
//! scripts and the manual page, generated from the command line's own
//! definitions so they cannot drift from it.

use crate::cli::{Cli, Shell, Status};
use clap::CommandFactory;
use std::io::Write;

pub fn completions(shell: Shell, out: &mut dyn Write) -> anyhow::Result<Status> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(generator, &mut Cli::command(), "crm-audit", out);
    Ok(Status::Clean)
}

pub fn man(out: &mut dyn Write) -> anyhow::Result<Status> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(Status::Clean)
}
