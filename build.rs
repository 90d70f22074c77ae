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
}
