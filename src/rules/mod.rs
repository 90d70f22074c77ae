//! Rule sets: the file format ([`model`]), its JSON Schema ([`schema`]), reading and
//! template resolution ([`load`]), the compiled, index-based form replay uses
//! ([`compiled`]: the types only), and the compiler that builds it from a bundle of rule
//! sets, part by part (`compiler`, which also holds `Catalog::compile`). Data flows one
//! way: the compiler uses the compiled types, never the other way round.
//!
//! Everything slow happens here, once, at load time: schema validation, name resolution,
//! graph checks, time-zone lookup. Replay only sees [`compiled::Compiled`].

pub mod compiled;
mod compiler;
pub mod load;
pub mod model;
pub mod recorder;
pub mod schema;
pub mod validity;

pub use compiled::{Catalog, Compiled};
pub use load::{Bundle, LoadError, RulesSource};
