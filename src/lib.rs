//! reglament: replays event logs of Kazakhstan state services against rule sets derived
//! from the akimat regulations (регламент) and reports every violation with the
//! paragraph it breaks.
//!
//! Data flows one way: [`rules`] are read and compiled once, [`log`] records are read
//! and grouped into cases, [`engine`] replays each case, [`report`] renders the findings.
//! [`check::run`] is that whole pipeline; [`cli`] is the command line around it (the only
//! module that prints), and the `reglament` binary only calls [`cli::run`].
//!
//! # Glossary
//! | English | kk | ru |
//! |---|---|---|
//! | case | өтініш | заявка |
//! | step | рәсім (іс-қимыл) | процедура (действие) |
//! | term | мерзім | срок |
//! | working day | жұмыс күні | рабочий день |
//! | refusal ground | бас тарту негізі | основание для отказа |
//! | provider | көрсетілетін қызметті беруші | услугодатель |
//! | State Corporation | Мемлекеттік корпорация | Государственная корпорация |

pub mod calendar;
pub mod check;
pub mod cli;
pub mod engine;
pub mod error;
pub mod generate;
pub mod i18n;
pub mod log;
pub mod pointer;
pub mod report;
pub mod rules;
pub mod state;

pub use error::Error;
