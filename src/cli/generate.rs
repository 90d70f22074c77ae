//! `reglament generate`.

use super::{GenerateArgs, Output, catalog};
use crate::Error;
use crate::calendar::Calendar;
use std::io::Write;

pub fn run(args: GenerateArgs) -> Result<u8, Error> {
    if !(0.0..=1.0).contains(&args.faults) {
        return Err(Error::Usage(format!(
            "--faults: {} is not a share between 0 and 1",
            args.faults
        )));
    }
    let cat = catalog(&args.rules)?;
    let calendar = Calendar::kazakhstan()?;
    let as_of = args
        .as_of
        .as_deref()
        .map(super::check::parse_as_of)
        .transpose()?
        .map(|a| a.at);
    let sets: Vec<_> = if args.services.is_empty() {
        cat.sets.iter().collect()
    } else {
        args.services
            .iter()
            .map(|id| {
                cat.sets
                    .iter()
                    .find(|s| s.id() == id)
                    .ok_or_else(|| Error::Usage(format!("no rule set {id:?}")))
            })
            .collect::<Result<_, _>>()?
    };
    let spec = crate::generate::Spec {
        cases: args.cases,
        seed: args.seed,
        faults: args.faults,
        as_of,
    };
    let mut out = Output::open(args.out.as_deref())?;
    let mut truth = args
        .truth
        .as_deref()
        .map(|p| Output::open(Some(p)))
        .transpose()?;
    let mut summary = None;
    out.write_with(|log| {
        let truth_w: Option<&mut dyn Write> = truth.as_mut().map(|t| t.writer());
        summary = Some(crate::generate::generate(
            &sets, &cat.sets, &calendar, &spec, log, truth_w,
        )?);
        Ok(())
    })?;
    if let Some(t) = truth.as_mut() {
        t.write_with(|_| Ok(()))?;
    }
    let Some(summary) = summary else { return Ok(2) };
    eprintln!(
        "reglament: generated {} cases ({} events), {} with a fault, {} findings expected",
        summary.cases, summary.events, summary.faulty_cases, summary.findings
    );
    if summary.notes > 0 {
        eprintln!(
            "reglament: {} rule set(s) or case(s) could not be made clean; the truth file's notes say why",
            summary.notes
        );
    }
    Ok(0)
}
