//! Embeds the bundled rule sets, templates and logs, so an installed `reglament` works
//! from any directory. Each bundled file becomes `(path, include_str!(..))` in
//! `$OUT_DIR/bundled.rs`; the list is regenerated whenever a file is added or changed.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn list(dir: &str, ext: &str) -> Vec<String> {
    println!("cargo:rerun-if-changed={dir}");
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) == Some(ext) {
                let s = p.to_string_lossy().replace('\\', "/");
                println!("cargo:rerun-if-changed={s}");
                out.push(s);
            }
        }
    }
    out.sort();
    out
}

fn array(name: &str, files: &[String], root: &str) -> String {
    let mut s = format!("pub static {name}: &[(&str, &str)] = &[\n");
    for f in files {
        let _ = writeln!(
            s,
            "    ({f:?}, include_str!(concat!({root:?}, \"/\", {f:?}))),"
        );
    }
    s.push_str("];\n");
    s
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut rules = list("rules", "json");
    rules.retain(|f| !f.ends_with("schema.json"));
    let templates = list("rules/templates", "json");
    let logs = list("logs", "jsonl");
    let mut code = String::new();
    code.push_str(&array("RULES", &rules, &root));
    code.push_str(&array("TEMPLATES", &templates, &root));
    code.push_str(&array("LOGS", &logs, &root));
    fs::write(Path::new(&out).join("bundled.rs"), code).expect("write bundled.rs");
    script_hash(&out);
}

/// The base64 SHA-256 of the HTML report's one script, for its content policy
/// (`script-src 'sha256-...'`): only that script may run on the page.
fn script_hash(out: &str) {
    use sha2::Digest as _;
    let path = "src/report/html/script.js";
    println!("cargo:rerun-if-changed={path}");
    let script = fs::read(path).expect("read the report's script");
    let digest = sha2::Sha256::digest(&script);
    fs::write(Path::new(out).join("script.sha256"), base64(&digest)).expect("write script.sha256");
}

/// Standard base64 with padding (RFC 4648), as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}
