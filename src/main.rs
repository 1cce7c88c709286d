//! The `tracklint` binary: parse flags, run, print, exit with the contract's code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tracklint::check;
use tracklint::cli::{CheckArgs, Cli, Color, Command};
use tracklint::config::{self, Format};
use tracklint::report::{self, human};
use tracklint::rules::{LoadOptions, Ruleset};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => match run_check(&args) {
            Ok(code) => code,
            Err(report) => {
                eprintln!("{report:?}");
                2
            }
        },
    };
    ExitCode::from(code as u8)
}

fn run_check(args: &CheckArgs) -> miette::Result<i32> {
    let settings = config::resolve(args.raw_options())?;
    let disabled: Vec<&str> = settings
        .disabled_vendors
        .iter()
        .map(|s| s.get_ref().as_str())
        .collect();
    let ruleset = Ruleset::load(LoadOptions {
        use_default: settings.use_default,
        extra: &settings.rulesets,
        disabled: &disabled,
    })?;
    let known: Vec<&str> = ruleset.known_ids.iter().map(String::as_str).collect();
    settings.check_vendor_ids(&known)?;
    for a in settings.allows.iter().filter(|a| a.expired) {
        eprintln!(
            "warning: the allowance at {} expired on {}; its findings are reported again",
            a.origin,
            a.expires.as_deref().unwrap_or("?")
        );
    }
    let report = check::run(&settings, &ruleset);
    let text = match args.format {
        Format::Json => report::json::render(&report, &ruleset),
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            human::render(
                &report,
                &ruleset,
                human::Style {
                    color,
                    quiet: args.quiet,
                },
            )
        }
    };
    for link in &report.links_skipped {
        eprintln!("note: not following symbolic link {link}; name its target to scan it");
    }
    for e in &report.errors {
        eprintln!("error: could not scan {}: {}", e.file, e.message);
    }
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`tracklint check | head`) is the reader's choice.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            return Err(miette::miette!("cannot write output: {e}"));
        }
        _ => {}
    }
    Ok(report.exit_code())
}
