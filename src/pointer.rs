//! JSON Pointers (RFC 6901) as every loader names the field an error is in: rule files,
//! the calendar, mappings. A leaf module: the layers use it, and the crate-level
//! [`Error`](crate::Error) wraps the layers' errors, so nothing here imports a layer.

/// A serde_path_to_error path as a JSON Pointer (RFC 6901: `/days/3/kind`, `~` and `/`
/// in keys escaped), `/` for the whole document. The one helper every loader uses.
pub fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } => pointer.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => pointer.push_str(variant),
            Segment::Unknown => pointer.push('?'),
        }
    }
    or_root(pointer)
}

/// A JSON Pointer as jsonschema gives it (empty for the whole document), `/` for the root.
pub fn or_root(pointer: String) -> String {
    if pointer.is_empty() {
        "/".to_owned()
    } else {
        pointer
    }
}
