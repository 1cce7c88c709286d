//! The `tracklint` binary: parse flags, run, print, exit with the contract's code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

mod cli;
use cli::args::{
    CheckArgs, CheckFormat, Cli, Color, Command, ExplainArgs, HookCommand, MergeArgs, MergeFormat,
    ReportArgs, RulesArgs, ScanArgs,
};
use cli::hook;
use tracklint::check::{self, Report, RunOptions};
use tracklint::config::{self, Format, RawOptions, Settings};
use tracklint::error::UsageError;
use tracklint::policy::baseline::Baseline;
use tracklint::report::{self, human};
use tracklint::rules::Rule;
use tracklint::vendors::{LoadOptions, Ruleset};

fn main() -> ExitCode {
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
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}

/// Loads the vendors a config asks for, checking the ids it names.
fn load_ruleset(settings: &Settings) -> miette::Result<Ruleset> {
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
    Ok(ruleset)
}

/// Settings from a config file alone (for commands that scan nothing).
fn settings_for(config: &Option<PathBuf>) -> miette::Result<Settings> {
    config::resolve(RawOptions {
        config: config.clone(),
        ..RawOptions::default()
    })
}

/// A finished scan, with what produced it.
struct Scanned {
    report: Report,
    ruleset: Ruleset,
    /// The paths scanned (the flags', else the config's `site.root`).
    paths: Vec<PathBuf>,
}

/// Resolves the config, loads the vendors and scans: what `check` and
/// `report` share. `opts` says how to choose inputs; the scan arguments
/// fill in the rest.
fn scan(args: &ScanArgs, opts: RunOptions) -> miette::Result<Scanned> {
    let settings = config::resolve(args.raw_options())?;
    let ruleset = load_ruleset(&settings)?;
    for a in settings.allows.iter().filter(|a| a.expired) {
        eprintln!(
            "warning: the allowance at {} expired on {}; its findings are reported again",
            a.origin,
            a.expires.as_deref().unwrap_or("?")
        );
    }
    let opts = RunOptions {
        inline_ignores: !args.no_inline_ignores,
        baseline: args.baseline.clone(),
        ..opts
    };
    if let Some(n) = args.threads {
        // Only fails if a pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
    let report = check::run(&settings, &ruleset, &opts)?;
    Ok(Scanned {
        report,
        ruleset,
        paths: settings.paths,
    })
}

/// Names on stderr what a run noticed besides findings: unusable source
/// maps, links not followed, baseline entries fixed, files not scanned.
fn print_notes(report: &Report) {
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for link in &report.links_skipped {
        eprintln!("note: not following symbolic link {link}; name its target to scan it");
    }
    for e in &report.fixed {
        eprintln!(
            "note: fixed since the baseline: {} {} in {} ({})",
            e.rule,
            e.vendor.as_deref().unwrap_or("-"),
            e.file,
            e.text
        );
    }
    for e in &report.errors {
        eprintln!("error: could not scan {}: {}", e.file, e.message);
    }
}

fn run_check(args: &CheckArgs) -> miette::Result<u8> {
    let Scanned {
        report, ruleset, ..
    } = scan(
        &args.scan,
        RunOptions {
            staged: args.staged,
            shard: args.shard,
            progress: (args.format == CheckFormat::Human
                && !args.quiet
                && std::io::stderr().is_terminal())
            .then(progress_bar),
            ..RunOptions::default()
        },
    )?;
    if args.staged && report.files_scanned == 0 && report.errors.is_empty() {
        eprintln!("tracklint: no staged HTML, template or JavaScript files to check");
    }
    let text = render(
        &report,
        &ruleset,
        match args.format {
            CheckFormat::Json => Output::Json,
            CheckFormat::Sarif => Output::Sarif,
            CheckFormat::Github => Output::Github,
            CheckFormat::Junit => Output::Junit(args.scan.fail_on),
            CheckFormat::Markdown => Output::Markdown,
            CheckFormat::Human => Output::Human(human::Style {
                color: args.output.is_none()
                    && match args.color {
                        Color::Always => true,
                        Color::Never => false,
                        Color::Auto => stdout_wants_color(),
                    },
                quiet: args.quiet,
            }),
        },
    );
    print_notes(&report);
    emit(args.output.as_deref(), &text)?;
    if let Some(path) = &args.write_baseline {
        let mut all: Vec<_> = report.findings.iter().chain(&report.baselined).collect();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Baseline::of(all.iter().copied(), &ruleset).save(path)?;
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
    let Scanned {
        report,
        ruleset,
        paths,
    } = scan(
        &args.scan,
        RunOptions {
            progress: progress.then(progress_bar),
            ..RunOptions::default()
        },
    )?;
    let page = report::html::render(
        &report,
        &ruleset,
        &report::html::Options {
            paths: paths.iter().map(|p| p.display().to_string()).collect(),
        },
    );
    print_notes(&report);
    tracklint::report::output::write_atomically(&args.html, page.as_bytes())?;
    eprintln!(
        "tracklint: wrote the audit report {}: {}",
        args.html.display(),
        report::html::totals_line(&report)
    );
    Ok(report.exit_code(args.scan.fail_on))
}

fn run_merge(args: &MergeArgs) -> miette::Result<u8> {
    let ruleset = load_ruleset(&settings_for(&args.config)?)?;
    let report = tracklint::report::merge::merge(&args.reports, &ruleset)?;
    let text = render(
        &report,
        &ruleset,
        match args.format {
            MergeFormat::Json => Output::Json,
            MergeFormat::Sarif => Output::Sarif,
            MergeFormat::Github => Output::Github,
            MergeFormat::Markdown => Output::Markdown,
            MergeFormat::Human => Output::Human(human::Style {
                color: args.output.is_none() && stdout_wants_color(),
                quiet: false,
            }),
        },
    );
    for e in &report.errors {
        eprintln!("error: could not scan {}: {}", e.file, e.message);
    }
    emit(args.output.as_deref(), &text)?;
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

fn run_rules(args: &RulesArgs) -> miette::Result<u8> {
    let ruleset = load_ruleset(&settings_for(&args.config)?)?;
    if args.hosts {
        let mut hosts = ruleset.matcher.host_literals().join("\n");
        hosts.push('\n');
        write_stdout(&hosts)?;
        return Ok(0);
    }
    write_stdout(&match args.format {
        Format::Json => report::catalog::json(&ruleset),
        Format::Human => report::catalog::human(&ruleset),
    })?;
    Ok(0)
}

fn run_explain(args: &ExplainArgs) -> miette::Result<u8> {
    let ruleset = load_ruleset(&settings_for(&args.config)?)?;
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

/// A report format, with what its renderer needs: what `check` and
/// `merge` print.
enum Output {
    Human(human::Style),
    Json,
    Sarif,
    Github,
    Junit(check::FailOn),
    Markdown,
}

/// Renders `report` as `output`. SARIF paths are relative to the
/// repository root, when there is one.
fn render(report: &Report, ruleset: &Ruleset, output: Output) -> String {
    match output {
        Output::Human(style) => human::render(report, ruleset, style),
        Output::Json => report::json::render(report, ruleset),
        Output::Sarif => {
            let root = tracklint::input::git::toplevel().ok();
            report::sarif::render(report, ruleset, root.as_deref())
        }
        Output::Github => report::github::render(report, ruleset),
        Output::Junit(fail_on) => report::junit::render(report, fail_on),
        Output::Markdown => report::markdown::render(report, ruleset),
    }
}

/// A progress bar for long scans, on stderr.
fn progress_bar() -> std::sync::Arc<dyn tracklint::check::Progress> {
    std::sync::Arc::new(cli::progress::Bar::new())
}

/// Automatic colour: stdout is a terminal and `NO_COLOR` is unset.
fn stdout_wants_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes `text` to `path` atomically (`--output`), else to stdout.
fn emit(path: Option<&std::path::Path>, text: &str) -> miette::Result<()> {
    match path {
        Some(path) => Ok(tracklint::report::output::write_atomically(
            path,
            text.as_bytes(),
        )?),
        None => write_stdout(text),
    }
}

/// Writes to stdout; a closed pipe (`tracklint rules | head`) is the
/// reader's choice, not an error.
fn write_stdout(text: &str) -> miette::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(miette::miette!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
