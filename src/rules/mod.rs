//! Rule sets: the file format ([`model`]), its JSON Schema ([`schema`]), reading and
//! template resolution ([`load`]), and the compiled, index-based form replay uses
//! ([`compile`], built part by part by the compiler).
//!
//! Everything slow happens here, once, at load time: schema validation, name resolution,
//! graph checks, time-zone lookup. Replay only sees [`compile::Compiled`].

pub mod compile;
mod compiler;
pub mod load;
pub mod model;
pub mod recorder;
pub mod schema;
pub mod validity;

pub use compile::{Catalog, Compiled};
pub use load::{Bundle, LoadError, RulesSource};
