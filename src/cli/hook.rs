//! `tracklint hook install|uninstall`: the pre-commit and pre-merge-commit
//! hooks (one script) in the hooks
//! directory git actually uses (`core.hooksPath`, or the common
//! `$GIT_DIR/hooks`, worktrees included). A different existing hook is
//! never overwritten without `--force`, and then it is kept as a backup
//! that `uninstall` restores.

use std::path::{Path, PathBuf};
use std::process::Command;

tracklint::layer_error!(
    /// The git hook cannot be installed or removed.
    HookError,
    "tracklint::hook"
);

/// The hook script (also in `hooks/pre-commit`).
pub const HOOK: &str = include_str!("../../hooks/pre-commit");
/// The line that marks a hook as tracklint's.
const MARKER: &str = "# tracklint-managed-hook";
/// Suffix of the kept copy of a replaced hook.
const BACKUP_SUFFIX: &str = ".tracklint-backup";

/// The hooks directory git uses for this repository.
pub fn hooks_dir() -> Result<PathBuf, HookError> {
    let out = Command::new("git")
        .args(["rev-parse", "--git-path", "hooks"])
        .output()
        .map_err(|e| HookError::new(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(HookError {
            message: "not inside a git repository".into(),
            help: Some("run `tracklint hook install` from your repository".into()),
        });
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The hook text with the running binary as its default `tracklint`, so the
/// hook works even when tracklint is not on the PATH git hooks see.
fn hook_text() -> String {
    match std::env::current_exe() {
        Ok(exe) => HOOK.replacen(
            "TRACKLINT=\"${TRACKLINT:-tracklint}\"",
            &format!(
                "TRACKLINT=\"${{TRACKLINT:-{}}}\"",
                exe.display().to_string().replace('"', "\\\"")
            ),
            1,
        ),
        Err(_) => HOOK.to_string(),
    }
}

fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.file_name().unwrap_or_default().to_os_string();
    name.push(BACKUP_SUFFIX);
    hook.with_file_name(name)
}

/// The hooks tracklint installs, with the same script: `pre-commit`, and
/// `pre-merge-commit` so that a merge bringing a tracker in is checked too.
pub const HOOK_NAMES: &[&str] = &["pre-commit", "pre-merge-commit"];

/// Installs the hooks; returns a line saying what was done. Nothing is
/// written unless every hook can be.
pub fn install(force: bool) -> Result<String, HookError> {
    let dir = hooks_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| HookError::new(format!("cannot create {}: {e}", dir.display())))?;
    // Decide for every hook before touching any.
    let mut replace = Vec::new();
    for name in HOOK_NAMES {
        let hook = dir.join(name);
        if let Ok(existing) = std::fs::read_to_string(&hook) {
            if !existing.contains(MARKER) {
                if !force {
                    return Err(HookError {
                        message: format!("{} exists and is not tracklint's", hook.display()),
                        help: Some(
                            "run `tracklint hook install --force` to replace it (it is kept as a backup that `tracklint hook uninstall` restores), or call `tracklint check --staged` from it".into(),
                        ),
                    });
                }
                let backup = backup_path(&hook);
                if backup.exists() {
                    return Err(HookError::new(format!(
                        "{} already exists; move it away before replacing the hook again",
                        backup.display()
                    )));
                }
                replace.push(hook);
            }
        } else if hook.exists() {
            return Err(HookError::new(format!("cannot read {}", hook.display())));
        }
    }
    let mut note = String::new();
    for hook in &replace {
        let backup = backup_path(hook);
        std::fs::rename(hook, &backup)
            .map_err(|e| HookError::new(format!("cannot back up the hook: {e}")))?;
        note.push_str(&format!(
            "; the previous hook is kept as {}",
            backup.display()
        ));
    }
    let text = hook_text();
    let mut installed = Vec::new();
    for name in HOOK_NAMES {
        let hook = dir.join(name);
        write_executable(&hook, &text)?;
        installed.push(hook.display().to_string());
    }
    Ok(format!("installed {}{note}", installed.join(" and ")))
}

/// Removes tracklint's hooks and restores their backups; returns what was
/// done. A hook that is not tracklint's is left alone, and said so.
pub fn uninstall() -> Result<String, HookError> {
    let dir = hooks_dir()?;
    let mut done = Vec::new();
    let mut foreign = Vec::new();
    for name in HOOK_NAMES {
        let hook = dir.join(name);
        let backup = backup_path(&hook);
        match std::fs::read_to_string(&hook) {
            Ok(text) if text.contains(MARKER) => {
                std::fs::remove_file(&hook).map_err(|e| {
                    HookError::new(format!("cannot remove {}: {e}", hook.display()))
                })?;
                if backup.exists() {
                    std::fs::rename(&backup, &hook)
                        .map_err(|e| HookError::new(format!("cannot restore the backup: {e}")))?;
                    done.push(format!(
                        "removed tracklint's hook and restored {}",
                        hook.display()
                    ));
                } else {
                    done.push(format!("removed {}", hook.display()));
                }
            }
            Ok(_) => foreign.push(hook.display().to_string()),
            Err(_) => {}
        }
    }
    if done.is_empty() && !foreign.is_empty() {
        return Err(HookError::new(format!(
            "{} is not tracklint's hook; leaving it alone",
            foreign.join(" and ")
        )));
    }
    if done.is_empty() {
        return Ok("no tracklint hook installed; nothing to do".into());
    }
    let mut msg = done.join("; ");
    for f in foreign {
        msg.push_str(&format!("; {f} is not tracklint's hook, left alone"));
    }
    Ok(msg)
}

fn write_executable(path: &Path, text: &str) -> Result<(), HookError> {
    std::fs::write(path, text)
        .map_err(|e| HookError::new(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
            HookError::new(format!("cannot make {} executable: {e}", path.display()))
        })?;
    }
    Ok(())
}
