//! Review of `--out` atomicity: the temporary file was renamed over the target whatever
//! the target was; now a symlink is followed and a device is written in place.

use std::process::Command;

/// `--out FILE` writes `.FILE.PID.tmp` beside FILE and renames it over FILE. When FILE
/// is not a regular file the rename replaces the node itself: run as root (as in the
/// review container), `reglament check logs/sample.jsonl --out /dev/full` replaced the
/// device `/dev/full` with a regular file holding the report (it had to be recreated
/// with `mknod -m 666 /dev/full c 1 7`), and `--out /dev/null` would do the same to
/// `/dev/null`. A symlink is likewise replaced by a regular file, so the file it points
/// to keeps the old report. Shown here on a symlink (safe to reproduce as any user).
///
/// Fixed in `Output::open` (src/cli/mod.rs): resolve FILE first (`std::fs::canonicalize`
/// when it exists) and put the temporary file beside the resolved path; when the
/// resolved path exists and is not a regular file (device, FIFO, socket), open it for
/// writing directly, with no temporary file and no rename.
#[cfg(unix)]
#[test]
fn out_through_a_symlink_writes_the_file_it_points_to() {
    let dir = std::env::temp_dir().join(format!("review-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let real = dir.join("real.txt");
    let link = dir.join("report.txt");
    std::fs::write(&real, "old report").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/logs/sample.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", log, "--out"])
        .arg(&link)
        .output()
        .unwrap();
    let is_link = std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink();
    let real_text = std::fs::read_to_string(&real).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(is_link, "--out replaced the symlink with a regular file");
    assert_ne!(
        real_text, "old report",
        "the file the link points to was not written"
    );
}

/// `--out /dev/null` writes into the device: it stays a character device (before the fix,
/// as root, the rename replaced it with a regular file holding the report).
#[cfg(unix)]
#[test]
fn out_to_a_device_writes_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/logs/sample.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", log, "--out", "/dev/null"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is no longer a device");
}
