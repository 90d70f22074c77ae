//! `reglament generate`.

use super::{GenerateArgs, catalog, io_err, output};
use reglament::Error;
use reglament::calendar::Calendar;
use std::io::Write;

pub fn run(args: GenerateArgs) -> Result<u8, Error> {
    if !(0.0..=1.0).contains(&args.faults) {
        return Err(Error::Usage(format!(
            "--faults: {} is not a share between 0 and 1",
            args.faults
        )));
    }
    let cat = catalog(args.rules.as_deref())?;
    let calendar = Calendar::kazakhstan()?;
    let as_of = args
        .as_of
        .as_deref()
        .map(super::check::parse_as_of)
        .transpose()?
        .map(|(t, _)| t);
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
    let spec = reglament::generate::Spec {
        cases: args.cases,
        seed: args.seed,
        faults: args.faults,
        as_of,
    };
    let name = args
        .out
        .as_ref()
        .map_or("<stdout>".into(), |p| p.display().to_string());
    let mut out = output(args.out.as_deref())?;
    let mut truth = match &args.truth {
        Some(p) => Some(output(Some(p))?),
        None => None,
    };
    let truth_name = args
        .truth
        .as_ref()
        .map_or(String::new(), |p| p.display().to_string());
    let truth_w: Option<&mut dyn Write> = truth.as_mut().map(|t| t.as_mut() as &mut dyn Write);
    let summary =
        reglament::generate::generate(&sets, &cat.sets, &calendar, &spec, &mut out, truth_w)
            .map_err(io_err(&name))?;
    out.flush().map_err(io_err(&name))?;
    if let Some(t) = truth.as_mut() {
        t.flush().map_err(io_err(&truth_name))?;
    }
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
