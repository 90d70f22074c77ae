//! Review of the fast reader end to end (issue 9): the real binary on a generated log
//! larger than one 4 MiB block, read from a file, from standard input, gzipped (one
//! member or several), with every `--jobs`, and with `--stream`: the same report, byte
//! for byte once the input's name is set aside. A gzip file cut short keeps exactly the
//! lines decompressed before the cut.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AS_OF: &str = "2026-01-01";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("reglament-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reglament"))
}

/// A generated log of every rule set, in time order, with faults: `cases` per set.
fn generated(cases: u32) -> Vec<u8> {
    let out = bin()
        .args(["generate", "--cases", &cases.to_string(), "--seed", "4"])
        .args(["--faults", "0.3", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `check LOG --format json` with `args`, standard input from `stdin` if given; the exit
/// code and the report with every mention of the input's name replaced by `LOG`.
fn check(log: &str, args: &[&str], stdin: Option<&Path>) -> (i32, String) {
    let mut cmd = bin();
    cmd.args(["check", log, "--format", "json", "--as-of", AS_OF])
        .args(args);
    if let Some(p) = stdin {
        cmd.stdin(Stdio::from(std::fs::File::open(p).unwrap()));
    }
    let out = cmd.output().unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    let name = serde_json::to_string(log).unwrap();
    // The input's name, as a field and where a message cites an event's `file:line`
    // (an out-of-order step names both of its events).
    let report = report
        .replace(&name, "\"LOG\"")
        .replace("\"<stdin>\"", "\"LOG\"")
        .replace(&format!("({log}:"), "(LOG:")
        .replace("(<stdin>:", "(LOG:");
    (out.status.code().unwrap_or(-1), report)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The generated log with damage a reader must survive: a BOM, CRLF line ends, blank
/// lines, unicode-escaped keys (slow path, same event), and broken lines (rejected).
fn damaged(log: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(log).unwrap();
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for (i, line) in text.lines().enumerate() {
        let line = match i % 97 {
            0 => line.replacen("\"case\"", "\"\\u0063ase\"", 1),
            1 => line.replacen("\":\"", "\":\"\\t", 1),
            2 => line.replacen('}', "", 1),
            3 => format!("{line}\r"),
            4 => format!("{line}\n"),
            _ => line.to_string(),
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

#[test]
fn every_way_in_gives_the_same_report() {
    let dir = Dir::new("breaker-cli");
    let clean = generated(350);
    assert!(
        clean.len() > 5 << 20,
        "{} bytes: more than one block",
        clean.len()
    );
    let log = damaged(&clean);
    let plain = dir.file("log.jsonl", &log);
    let plain = plain.to_str().unwrap();
    let (code, want) = check(plain, &[], None);
    assert_eq!(code, 1, "violations found");
    let v: serde_json::Value = serde_json::from_str(&want).unwrap();
    let summary = &v["summary"];
    assert!(summary["rejected"].as_u64().unwrap() > 100, "{summary}");
    assert!(summary["blank_lines"].as_u64().unwrap() > 100, "{summary}");
    assert_eq!(
        summary["lines"],
        summary["events"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap()
    );
    for jobs in ["1", "3"] {
        assert_eq!(
            check(plain, &["--jobs", jobs], None),
            (1, want.clone()),
            "--jobs {jobs}"
        );
    }
    assert_eq!(
        check("-", &[], Some(Path::new(plain))),
        (1, want.clone()),
        "stdin"
    );
    let gz = dir.file("log.jsonl.gz", &gzip(&log));
    let gz = gz.to_str().unwrap();
    assert_eq!(check(gz, &[], None), (1, want.clone()), ".gz");
    // Several gzip members, cut mid-line: one stream of lines all the same.
    let cut = log.len() / 3;
    let members = [gzip(&log[..cut]), gzip(&log[cut..])].concat();
    let multi = dir.file("multi.jsonl.gz", &members);
    let multi = multi.to_str().unwrap();
    assert_eq!(
        check(multi, &["--jobs", "2"], None),
        (1, want),
        "two members"
    );
}

/// `--stream` on the clean log (in time order) gives the in-memory report, from a file,
/// from standard input and gzipped, whatever `--jobs`.
#[test]
fn stream_matches_in_memory_every_way_in() {
    let dir = Dir::new("breaker-cli-stream");
    let log = generated(300);
    let plain = dir.file("log.jsonl", &log);
    let plain = plain.to_str().unwrap();
    let (code, want) = check(plain, &[], None);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&want).unwrap();
    assert_eq!(
        v["summary"]["rejected"], 0,
        "the generator writes in time order"
    );
    for jobs in ["1", "2", "4"] {
        let got = check(plain, &["--stream", "--jobs", jobs], None);
        assert_eq!(got, (1, want.clone()), "--stream --jobs {jobs}");
    }
    let got = check("-", &["--stream"], Some(Path::new(plain)));
    assert_eq!(got, (1, want.clone()), "--stream from stdin");
    let gz = dir.file("log.jsonl.gz", &gzip(&log));
    let got = check(gz.to_str().unwrap(), &["--stream"], None);
    assert_eq!(got, (1, want), "--stream from .gz");
}

/// A gzip file cut short: the run exits 2 and names the file unreadable, and what was
/// read is exactly the lines decompressed before the cut (the cut-off last line
/// rejected), as if those bytes had been the whole file.
#[test]
fn a_cut_gzip_keeps_every_line_before_the_cut() {
    let dir = Dir::new("breaker-cli-cut");
    let log = generated(350);
    let gz = gzip(&log);
    // Cut where the decoder stops inside a line, past the first 4 MiB block.
    let (mut at, mut prefix) = (gz.len() * 7 / 8, Vec::new());
    loop {
        prefix.clear();
        let err = flate2::read::GzDecoder::new(&gz[..at])
            .read_to_end(&mut prefix)
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
        if !prefix.ends_with(b"\n") {
            break;
        }
        at -= 1;
    }
    assert!(prefix.len() > 4 << 20, "{} bytes", prefix.len());
    let cut = dir.file("cut.jsonl.gz", &gz[..at]);
    let cut = cut.to_str().unwrap();
    let plain = dir.file("prefix.jsonl", &prefix);
    for stream in [false, true] {
        let args: &[&str] = if stream { &["--stream"] } else { &[] };
        let (code, got) = check(cut, args, None);
        let (_, want) = check(plain.to_str().unwrap(), args, None);
        assert_eq!(code, 2, "a file not read to its end");
        let mut got: serde_json::Value = serde_json::from_str(&got).unwrap();
        let want: serde_json::Value = serde_json::from_str(&want).unwrap();
        let unreadable = got["unreadable"].take();
        assert_eq!(unreadable[0]["file"], "LOG", "{unreadable}");
        got["summary"]["unreadable_files"] = 0.into();
        assert_eq!(got["summary"], want["summary"]);
        assert_eq!(got["rejected"], want["rejected"]);
        assert_eq!(got["violations"], want["violations"], "stream {stream}");
        let last = want["rejected"].as_array().unwrap().last().unwrap().clone();
        let lines = prefix.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        assert_eq!(last["line"], lines, "the cut-off line is rejected");
    }
}
