//! The rulesets and the rule documentation hold together: every ruleset
//! file is compiled in, and every rule's documented example is reported by
//! that rule. (`docs/rules.md` itself is checked by tests/generated.rs.)

use std::path::Path;

#[test]
fn every_ruleset_file_is_compiled_in() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rulesets");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut built: Vec<String> = tracklint::vendors::BUILTIN
        .iter()
        .map(|(n, _)| n.trim_start_matches("builtin:rulesets/").to_string())
        .collect();
    built.sort();
    assert_eq!(on_disk, built, "add new ruleset files to rules::BUILTIN");
}

#[test]
fn every_rule_example_is_reported_by_its_rule() {
    use tracklint::config::HostSet;
    use tracklint::input::read::FileKind;
    use tracklint::rules::Rule;
    use tracklint::scan::ScanContext;
    use tracklint::vendors::Ruleset;

    let rs = Ruleset::builtin().unwrap();
    let fp = HostSet::default();
    let ctx = ScanContext::new(&rs, &fp);
    for rule in Rule::ALL {
        let example = rule.doc().example;
        let found =
            tracklint::check::scan_bytes(&ctx, example.as_bytes(), "example.html", FileKind::Html)
                .unwrap();
        assert!(
            found.iter().any(|f| f.rule == rule),
            "{}'s example is not reported: {example}",
            rule.id()
        );
    }
}
