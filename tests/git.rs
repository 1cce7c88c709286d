//! The pre-commit gate with real git in temporary repositories.

mod common;

use common::assert_run;

use std::path::Path;
use std::process::{Command, Output};

const TRACKER: &str = "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n";
const CLEAN: &str = "<p>Book an appointment</p>\n";

fn git(dir: &Path, args: &[&str]) -> Output {
    git_env(dir, args, &[])
}

fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args);
    // A predictable git: no user or system config, no pager.
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("SKIP");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run git")
}

fn ok(o: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "failed: {text}");
    text
}

fn tracklint(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracklint"));
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GIT_INDEX_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run tracklint")
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    ok(&git(p, &["init", "-q", "-b", "main"]));
    ok(&git(p, &["config", "user.name", "Test"]));
    ok(&git(p, &["config", "user.email", "test@example.invalid"]));
    ok(&git(p, &["config", "commit.gpgsign", "false"]));
    std::fs::write(p.join("README.md"), "site\n").unwrap();
    ok(&git(p, &["add", "README.md"]));
    ok(&git(p, &["commit", "-q", "-m", "init"]));
    dir
}

fn staged_files(p: &Path, env: &[(&str, &str)]) -> (i32, Vec<String>) {
    let out = tracklint(p, &["check", "--staged", "--format", "json"], env);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let files = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    (out.status.code().unwrap(), files)
}

#[test]
fn hook_blocks_a_staged_tracker_until_the_fix_is_staged() {
    let dir = repo();
    let p = dir.path();
    let hook = p.join(".git/hooks/pre-commit");
    let custom = "#!/bin/sh\necho custom-hook-ran\n";
    std::fs::write(&hook, custom).unwrap();

    // A different hook is never replaced without --force.
    let out = tracklint(p, &["hook", "install"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "git-hook-install-over-another",
        "cd [TMP] && tracklint hook install  # .git/hooks/pre-commit is another hook",
        &out,
        &[p],
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), custom);
    let out = tracklint(p, &["hook", "install", "--force"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(p.join(".git/hooks/pre-commit.tracklint-backup")).unwrap(),
        custom
    );

    std::fs::create_dir(p.join("site")).unwrap();
    std::fs::write(p.join("site/index.html"), TRACKER).unwrap();
    ok(&git(p, &["add", "site/index.html"]));
    let out = git(p, &["commit", "-m", "add page"]);
    assert!(!out.status.success());
    // The finding at site/index.html:1:14, "commit blocked", and how to
    // suppress a finding with a reason.
    assert_run(
        "git-commit-blocked",
        "cd [TMP] && git commit -m \"add page\"  # site/index.html with a Hotjar tag staged",
        &out,
        &[p],
    );

    // Fixing only the working tree does not let the staged tracker through.
    std::fs::write(p.join("site/index.html"), CLEAN).unwrap();
    let out = git(p, &["commit", "-m", "add page"]);
    assert!(!out.status.success());

    // Staging the fix does.
    ok(&git(p, &["add", "site/index.html"]));
    ok(&git(p, &["commit", "-q", "-m", "add page"]));

    // An unstaged tracker does not block a clean commit.
    std::fs::write(p.join("site/about.html"), CLEAN).unwrap();
    ok(&git(p, &["add", "site/about.html"]));
    std::fs::write(p.join("site/about.html"), TRACKER).unwrap();
    ok(&git(p, &["commit", "-q", "-m", "about"]));

    // Uninstalling restores the hook that was there before.
    let out = tracklint(p, &["hook", "uninstall"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), custom);
    assert!(!p.join(".git/hooks/pre-commit.tracklint-backup").exists());
}

#[test]
fn hook_can_be_skipped_and_says_so() {
    let dir = repo();
    let p = dir.path();
    ok(&tracklint(p, &["hook", "install"], &[]));
    std::fs::write(p.join("index.html"), TRACKER).unwrap();
    ok(&git(p, &["add", "index.html"]));

    let out = git_env(
        p,
        &["commit", "-q", "-m", "x"],
        &[("SKIP", "lint,tracklint")],
    );
    ok(&out);
    assert_run(
        "git-commit-skip",
        "cd [TMP] && SKIP=lint,tracklint git commit -q -m x  # a tracker staged",
        &out,
        &[p],
    );
    ok(&git(p, &["reset", "-q", "--soft", "HEAD~1"]));

    ok(&git(p, &["config", "tracklint.enabled", "false"]));
    let out = git(p, &["commit", "-q", "-m", "x"]);
    ok(&out);
    assert_run(
        "git-commit-disabled",
        "cd [TMP] && git commit -q -m x  # a tracker staged, git config tracklint.enabled false",
        &out,
        &[p],
    );
}

#[test]
fn staged_scan_reads_the_index_and_skips_deleted_files() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join("old.html"), TRACKER).unwrap();
    std::fs::write(p.join("gone.html"), TRACKER).unwrap();
    std::fs::write(p.join("notes.txt"), TRACKER).unwrap();
    ok(&git(p, &["add", "."]));
    ok(&git(p, &["commit", "-q", "--no-verify", "-m", "legacy"]));

    // Nothing staged: nothing to check, exit 0.
    let out = tracklint(p, &["check", "--staged"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_run(
        "git-nothing-staged",
        "cd [TMP] && tracklint check --staged  # nothing staged",
        &out,
        &[p],
    );

    // A rename is scanned under its new name; a deletion is skipped; a
    // .txt file is not a scanned type.
    ok(&git(p, &["mv", "old.html", "new.html"]));
    ok(&git(p, &["rm", "-q", "gone.html"]));
    std::fs::write(p.join("notes.txt"), format!("{TRACKER}{TRACKER}")).unwrap();
    ok(&git(p, &["add", "notes.txt"]));
    assert_eq!(staged_files(p, &[]), (1, vec!["new.html".to_string()]));

    // From a subdirectory, paths stay relative to the repository root.
    std::fs::create_dir(p.join("sub")).unwrap();
    assert_eq!(
        staged_files(&p.join("sub"), &[]),
        (1, vec!["new.html".to_string()])
    );
}

#[test]
fn staged_scan_honours_git_index_file() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join("page.html"), TRACKER).unwrap();
    let alt = p.join(".git/alt-index");
    let alt = alt.to_str().unwrap();
    ok(&git_env(
        p,
        &["read-tree", "HEAD"],
        &[("GIT_INDEX_FILE", alt)],
    ));
    ok(&git_env(
        p,
        &["add", "page.html"],
        &[("GIT_INDEX_FILE", alt)],
    ));
    assert_eq!(
        staged_files(p, &[("GIT_INDEX_FILE", alt)]),
        (1, vec!["page.html".to_string()])
    );
    // The default index has nothing staged.
    assert_eq!(
        tracklint(p, &["check", "--staged"], &[]).status.code(),
        Some(0)
    );
}

#[test]
fn staged_outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tracklint(
        dir.path(),
        &["check", "--staged"],
        &[(
            "GIT_CEILING_DIRECTORIES",
            dir.path().parent().unwrap().to_str().unwrap(),
        )],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "git-staged-outside-a-repository",
        "cd [TMP] && tracklint check --staged  # not in a git repository",
        &out,
        &[dir.path()],
    );
}

#[test]
fn hook_goes_where_git_looks_hooks_path_and_worktrees() {
    let dir = repo();
    let p = dir.path();
    ok(&git(p, &["config", "core.hooksPath", ".githooks"]));
    ok(&tracklint(p, &["hook", "install"], &[]));
    assert!(p.join(".githooks/pre-commit").exists());
    assert!(!p.join(".git/hooks/pre-commit").exists());
    ok(&git(p, &["config", "--unset", "core.hooksPath"]));

    // A linked worktree shares the main repository's hooks.
    let wt = dir.path().join("wt");
    ok(&git(p, &["worktree", "add", "-q", wt.to_str().unwrap()]));
    ok(&tracklint(&wt, &["hook", "install"], &[]));
    assert!(p.join(".git/hooks/pre-commit").exists());
    std::fs::write(wt.join("x.html"), TRACKER).unwrap();
    ok(&git(&wt, &["add", "x.html"]));
    assert!(!git(&wt, &["commit", "-m", "x"]).status.success());
}

#[test]
fn staged_scan_checks_the_whole_repository_whatever_the_root() {
    let dir = repo();
    let p = dir.path();
    // What `tracklint init` writes: a root that is build output, ignored
    // by git and usually absent when committing.
    std::fs::write(
        p.join("tracklint.toml"),
        "[site]\nroot = \"_site\"\nexclude = [\"vendor/**\", \"drafts\"]\n",
    )
    .unwrap();
    for (file, text) in [
        ("src/page.html", TRACKER),
        ("index.html", TRACKER),
        (
            "vendor/lib.js",
            "var s = \"https://static.hotjar.com/c/hotjar-1.js\";\n",
        ),
        ("_site/vendor/x.html", TRACKER),
        ("src/drafts/d.html", TRACKER),
        ("notes.txt", TRACKER),
    ] {
        std::fs::create_dir_all(p.join(file).parent().unwrap()).unwrap();
        std::fs::write(p.join(file), text).unwrap();
        ok(&git(p, &["add", "-f", file]));
    }
    // Excluded: vendor/** from the repository root, _site/vendor/** from
    // the root, drafts anywhere; notes.txt is not a scanned type.
    assert_eq!(
        staged_files(p, &[]),
        (
            1,
            vec!["index.html".to_string(), "src/page.html".to_string()]
        )
    );
    // Paths named with --staged still limit the files considered.
    let out = tracklint(p, &["check", "--staged", "src", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files_scanned"], 1);
    assert_eq!(doc["findings"][0]["file"], "src/page.html");

    // The hook blocks the commit.
    ok(&tracklint(p, &["hook", "install"], &[]));
    let out = git(p, &["commit", "-m", "pages"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("src/page.html:1:14"));
}

#[cfg(unix)]
#[test]
fn staged_scan_checks_type_changes() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join("target.html"), CLEAN).unwrap();
    std::os::unix::fs::symlink("target.html", p.join("page.html")).unwrap();
    ok(&git(p, &["add", "."]));
    ok(&git(p, &["commit", "-q", "-m", "link"]));

    // A symbolic link replaced by a file with a tracker: status T.
    std::fs::remove_file(p.join("page.html")).unwrap();
    std::fs::write(p.join("page.html"), TRACKER).unwrap();
    ok(&git(p, &["add", "page.html"]));
    let status = ok(&git(p, &["diff", "--cached", "--name-status"]));
    assert_eq!(status.trim(), "T\tpage.html");
    assert_eq!(staged_files(p, &[]), (1, vec!["page.html".to_string()]));
    ok(&git(p, &["commit", "-q", "--no-verify", "-m", "file"]));

    // A file replaced by a symbolic link stages a path, not a page.
    std::fs::remove_file(p.join("page.html")).unwrap();
    std::os::unix::fs::symlink("target.html", p.join("page.html")).unwrap();
    ok(&git(p, &["add", "page.html"]));
    assert_eq!(staged_files(p, &[]), (0, vec![]));
}

#[test]
fn hook_checks_merges_and_uninstalls_both_hooks() {
    let dir = repo();
    let p = dir.path();
    let out = tracklint(p, &["hook", "install"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        said.contains("pre-commit") && said.contains("pre-merge-commit"),
        "{said}"
    );
    let commit_hook = std::fs::read_to_string(p.join(".git/hooks/pre-commit")).unwrap();
    let merge_hook = std::fs::read_to_string(p.join(".git/hooks/pre-merge-commit")).unwrap();
    assert_eq!(commit_hook, merge_hook);

    // A branch brings a tracker in, committed past the hook.
    ok(&git(p, &["checkout", "-q", "-b", "feature"]));
    std::fs::write(p.join("page.html"), TRACKER).unwrap();
    ok(&git(p, &["add", "page.html"]));
    ok(&git(p, &["commit", "-q", "--no-verify", "-m", "tracker"]));
    ok(&git(p, &["checkout", "-q", "main"]));
    std::fs::write(p.join("other.md"), "x\n").unwrap();
    ok(&git(p, &["add", "other.md"]));
    ok(&git(p, &["commit", "-q", "-m", "other"]));

    // The merge commit is blocked.
    let out = git(p, &["merge", "--no-edit", "feature"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(text.contains("page.html:1:14"), "{text}");
    assert!(text.contains("commit blocked"), "{text}");
    ok(&git(p, &["merge", "--abort"]));

    // A foreign pre-merge-commit hook stops install before anything changes.
    ok(&tracklint(p, &["hook", "uninstall"], &[]));
    assert!(!p.join(".git/hooks/pre-commit").exists());
    assert!(!p.join(".git/hooks/pre-merge-commit").exists());
    std::fs::write(p.join(".git/hooks/pre-merge-commit"), "#!/bin/sh\n").unwrap();
    assert_eq!(
        tracklint(p, &["hook", "install"], &[]).status.code(),
        Some(2)
    );
    assert!(!p.join(".git/hooks/pre-commit").exists());
    ok(&tracklint(p, &["hook", "install", "--force"], &[]));
    ok(&tracklint(p, &["hook", "uninstall"], &[]));
    assert_eq!(
        std::fs::read_to_string(p.join(".git/hooks/pre-merge-commit")).unwrap(),
        "#!/bin/sh\n"
    );
    assert!(!p.join(".git/hooks/pre-commit").exists());
}
