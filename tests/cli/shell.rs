//! The commands that hand the tool to a shell and a manual reader:
//! completion scripts and the man page, generated from the command line's
//! definitions, and the built-in regulation as TOML.

fn run(args: &[&str]) -> String {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .args(args)
        .output()
        .expect("run crm-audit");
    assert_eq!(
        output.status.code(),
        Some(0),
        "crm-audit {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "crm-audit {args:?} wrote to stderr"
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn completion_scripts_know_the_subcommands_and_flags() {
    // Each shell's own form of "complete crm-audit", and the names a user
    // would tab through: a subcommand and an audit flag.
    for (shell, marker) in [
        ("bash", "complete -F _crm__audit"),
        ("zsh", "#compdef crm-audit"),
        ("fish", "complete -c crm-audit"),
    ] {
        let script = run(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {marker}");
        for word in ["inspect", "mask-phones", "fail-on"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("possible values: bash, zsh, fish"));
}

#[test]
fn the_man_page_is_roff_naming_the_commands() {
    let page = run(&["man"]);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff preamble");
    assert!(page.contains(".TH crm-audit 1"), "a section-1 page");
    for command in ["audit", "inspect", "explain", "completions"] {
        assert!(page.contains(command), "the page names {command}");
    }
}

#[test]
fn show_builtin_prints_the_regulation_file_as_it_is() {
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/rules/regulation.toml"
    ))
    .unwrap();
    assert_eq!(run(&["rules", "--show-builtin"]), builtin);
}
