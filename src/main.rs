//! The `tracklint` binary: parse flags, call the library, print, exit with
//! the contract's code (0 clean, 1 findings, 2 error).
// The binary is where output is printed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

mod cli;

use cli::args::{
    CatalogFormat, CheckArgs, Cli, Color, Command, ExplainArgs, HookCommand, MergeArgs, ReportArgs,
    RulesArgs, ScanArgs,
};
use cli::hook;
use tracklint::check::RunOptions;
use tracklint::config::{self, RawOptions};
use tracklint::error::UsageError;
use tracklint::policy::baseline::Baseline;
use tracklint::report::controls::{terminal, terminal_lines};
use tracklint::report::model::Report;
use tracklint::report::{self, Context, Format, human};
use tracklint::rules::Rule;
use tracklint::{Options, Run};

fn main() -> ExitCode {
    // Errors can quote file names and text from scanned files; their
    // control characters are escaped before printing (below), so miette
    // draws without colour codes of its own.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().color(false).build())
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Report(args) => run_report(&args),
        Command::Rules(args) => run_rules(&args),
        Command::Explain(args) => run_explain(&args),
        Command::Init => run_init(),
        Command::Hook(cmd) => run_hook(&cmd),
        Command::Merge(args) => run_merge(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{}", terminal_lines(&format!("{report:?}")));
            ExitCode::from(2)
        }
    }
}

/// Runs the library's check with the scan arguments; `run` says how to
/// choose inputs.
fn scan(args: &ScanArgs, run: RunOptions) -> miette::Result<Run> {
    if let Some(n) = args.threads {
        // Only fails if a pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
    let run = tracklint::check(&Options {
        config: args.raw_options(),
        run: RunOptions {
            inline_ignores: !args.no_inline_ignores,
            baseline: args.baseline.clone(),
            ..run
        },
    })?;
    for a in run.settings.allows.iter().filter(|a| a.expired) {
        eprintln!(
            "warning: the allowance at {} expired on {}; its findings are reported again",
            terminal(&a.origin),
            terminal(a.expires.as_deref().unwrap_or("?"))
        );
    }
    Ok(run)
}

/// A progress bar for long scans, on stderr.
fn progress_bar() -> Arc<dyn tracklint::check::Progress> {
    Arc::new(cli::progress::Bar::new())
}

/// Names on stderr what a run noticed besides findings: unusable source
/// maps, links not followed, baseline entries fixed, files not scanned.
fn print_notes(report: &Report) {
    for note in &report.notes {
        eprintln!("note: {}", terminal(note));
    }
    for link in &report.links_skipped {
        eprintln!(
            "note: not following symbolic link {}; name its target to scan it",
            terminal(link)
        );
    }
    for e in &report.fixed {
        eprintln!(
            "note: fixed since the baseline: {} {} in {} ({})",
            terminal(&e.rule),
            terminal(e.vendor.as_deref().unwrap_or("-")),
            terminal(&e.file),
            terminal(&e.text)
        );
    }
    print_errors(report);
}

fn print_errors(report: &Report) {
    for e in &report.errors {
        eprintln!(
            "error: could not scan {}: {}",
            terminal(&e.file),
            terminal(&e.message)
        );
    }
}

fn run_check(args: &CheckArgs) -> miette::Result<u8> {
    let progress = args.format == Format::Human && !args.quiet && std::io::stderr().is_terminal();
    let Run {
        report, vendors, ..
    } = scan(
        &args.scan,
        RunOptions {
            staged: args.staged,
            shard: args.shard,
            progress: progress.then(progress_bar),
            ..RunOptions::default()
        },
    )?;
    if args.staged && report.files_scanned == 0 && report.errors.is_empty() {
        eprintln!("tracklint: no staged HTML, template or JavaScript files to check");
    }
    let root = sarif_root(args.format);
    let cx = Context {
        fail_on: args.scan.fail_on,
        style: human::Style {
            color: args.output.is_none()
                && match args.color {
                    Color::Always => true,
                    Color::Never => false,
                    Color::Auto => stdout_wants_color(),
                },
            quiet: args.quiet,
        },
        repo_root: root.as_deref(),
        ..Context::new(&vendors)
    };
    print_notes(&report);
    emit(args.output.as_deref(), |out| {
        report::write(&report, args.format, &cx, out)
    })?;
    if let Some(path) = &args.write_baseline {
        let mut all: Vec<_> = report.reported().chain(report.baselined()).collect();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Baseline::of(all.iter().copied(), &vendors).save(path)?;
        eprintln!(
            "tracklint: wrote {} findings to the baseline {}",
            all.len(),
            path.display()
        );
        return Ok(if report.errors.is_empty() { 0 } else { 2 });
    }
    Ok(report.exit_code(args.scan.fail_on))
}

fn run_report(args: &ReportArgs) -> miette::Result<u8> {
    let progress = std::io::stderr().is_terminal();
    let Run {
        report,
        vendors,
        settings,
    } = scan(
        &args.scan,
        RunOptions {
            progress: progress.then(progress_bar),
            ..RunOptions::default()
        },
    )?;
    let paths: Vec<String> = settings
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let page = report::render(
        &report,
        Format::Html,
        &Context {
            paths: &paths,
            ..Context::new(&vendors)
        },
    );
    print_notes(&report);
    tracklint::output::write_atomically(&args.html, page.as_bytes())?;
    eprintln!(
        "tracklint: wrote the audit report {}: {}",
        args.html.display(),
        report::html::totals_line(&report)
    );
    Ok(report.exit_code(args.scan.fail_on))
}

fn run_merge(args: &MergeArgs) -> miette::Result<u8> {
    let Run {
        report, vendors, ..
    } = tracklint::merge(&args.reports, args.config.clone())?;
    let root = sarif_root(args.format);
    let cx = Context {
        fail_on: args.fail_on,
        style: human::Style {
            color: args.output.is_none() && stdout_wants_color(),
            quiet: false,
        },
        repo_root: root.as_deref(),
        ..Context::new(&vendors)
    };
    print_errors(&report);
    emit(args.output.as_deref(), |out| {
        report::write(&report, args.format, &cx, out)
    })?;
    Ok(report.exit_code(args.fail_on))
}

fn run_hook(cmd: &HookCommand) -> miette::Result<u8> {
    let msg = match cmd {
        HookCommand::Install { force } => hook::install(*force)?,
        HookCommand::Uninstall => hook::uninstall()?,
    };
    eprintln!("tracklint: {msg}");
    Ok(0)
}

/// The vendors of the config at `config` (or the discovered one), for the
/// commands that scan nothing.
fn vendors_for(config: &Option<PathBuf>) -> miette::Result<tracklint::vendors::Ruleset> {
    let settings = config::resolve(RawOptions {
        config: config.clone(),
        ..RawOptions::default()
    })?;
    Ok(tracklint::load_vendors(&settings)?)
}

fn run_rules(args: &RulesArgs) -> miette::Result<u8> {
    let ruleset = vendors_for(&args.config)?;
    if args.hosts {
        let mut hosts = ruleset.matcher.host_literals().join("\n");
        hosts.push('\n');
        write_stdout(&hosts)?;
        return Ok(0);
    }
    write_stdout(&match args.format {
        CatalogFormat::Json => report::catalog::json(&ruleset),
        CatalogFormat::Human => report::catalog::human(&ruleset),
    })?;
    Ok(0)
}

fn run_explain(args: &ExplainArgs) -> miette::Result<u8> {
    let ruleset = vendors_for(&args.config)?;
    let text = if let Some(rule) = Rule::from_id(&args.name) {
        rule.explain()
    } else if let Some((_, v)) = ruleset.vendor_by_id(&args.name) {
        v.explain()
    } else {
        let names = Rule::ALL
            .iter()
            .map(|r| r.id())
            .chain(ruleset.vendors.iter().map(|v| v.id.get_ref().as_str()));
        let help = match tracklint::suggest::closest(&args.name, names) {
            Some(near) => format!("did you mean `{near}`? `tracklint rules` lists them all"),
            None => "`tracklint rules` lists every rule and vendor".to_string(),
        };
        return Err(UsageError {
            message: format!("no rule or vendor named `{}`", args.name),
            help: Some(help),
        }
        .into());
    };
    write_stdout(&text)?;
    Ok(0)
}

fn run_init() -> miette::Result<u8> {
    let dir = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let (path, detected) = cli::init::run(&dir)?;
    let mut msg = format!("wrote {}", path.display());
    match &detected.host {
        Some((host, from)) => msg.push_str(&format!("; first-party host {host} (from {from})")),
        None => msg.push_str("; no site host found: fill in [site] first_party"),
    }
    if let Some(root) = &detected.root {
        msg.push_str(&format!("; scan root {root}"));
    }
    if !detected.sources.is_empty() {
        msg.push_str(&format!(
            "; template sources {}",
            detected.sources.join(", ")
        ));
    }
    eprintln!("{msg}");
    Ok(0)
}

/// SARIF paths are relative to the repository root, when there is one.
fn sarif_root(format: Format) -> Option<PathBuf> {
    (format == Format::Sarif)
        .then(|| tracklint::input::git::toplevel().ok())
        .flatten()
}

/// Automatic colour: stdout is a terminal and `NO_COLOR` is unset.
fn stdout_wants_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Streams what `write` writes to `path` atomically (`--output`), else to
/// stdout, buffered either way.
fn emit(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> miette::Result<()> {
    match path {
        Some(path) => Ok(tracklint::output::write_atomically_with(path, write)?),
        None => {
            let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            stdout_result(write(&mut stdout).and_then(|()| stdout.flush()))
        }
    }
}

/// Writes to stdout; a closed pipe (`tracklint rules | head`) is the
/// reader's choice, not an error.
fn write_stdout(text: &str) -> miette::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// A write to stdout's outcome; a closed pipe is not an error.
fn stdout_result(result: io::Result<()>) -> miette::Result<()> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(miette::miette!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
