//! `cargo xtask gen`: writes every generated file.
//! `cargo xtask check`: exits 1 if a committed generated file is stale.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <gen|check>
  gen     write every generated file (rulesets/third-party-web.toml,
          rulesets/easyprivacy.toml, docs/rules.md) and print what EasyPrivacy gave
  check   exit 1 if a committed generated file is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::repo_root();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen"] => match xtask::write_all(&root) {
            Ok(changed) if changed.contains(&xtask::easyprivacy::OUTPUT) => {
                eprintln!(
                    "xtask: EasyPrivacy: {}",
                    xtask::easyprivacy::generate_with_summary(
                        &root,
                        &xtask::generate_third_party_web(&root)
                    )
                    .summary
                );
                for path in changed {
                    eprintln!("xtask: wrote {path}");
                }
                ExitCode::SUCCESS
            }
            Ok(changed) if changed.is_empty() => {
                eprintln!("xtask: every generated file is up to date");
                ExitCode::SUCCESS
            }
            Ok(changed) => {
                for path in changed {
                    eprintln!("xtask: wrote {path}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::from(2)
            }
        },
        ["check"] => {
            let stale = xtask::stale(&root);
            for s in &stale {
                eprintln!(
                    "xtask: {} is out of date (first difference on line {})",
                    s.path, s.line
                );
            }
            if stale.is_empty() {
                eprintln!("xtask: every generated file is up to date");
                ExitCode::SUCCESS
            } else {
                eprintln!("xtask: run `{}`", xtask::GEN_COMMAND);
                ExitCode::from(1)
            }
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
