//! Issue 11: the progress bar is drawn on standard error only when it is a terminal and
//! `--quiet` is not given. A piped or redirected run (scripts, CI, these tests) gets
//! nothing on standard error but its real diagnostics.

use std::process::Command;

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for extra in [&[][..], &["--quiet"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
            .current_dir(root)
            .args(["check", "logs/sample.jsonl", "logs/culture.jsonl"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty());
    }
}
