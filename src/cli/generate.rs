//! `reglament generate`.

use super::{GenerateArgs, catalog, io_err, output};
use reglament::Error;
use reglament::generate::{Spec, generate};

pub fn run(args: GenerateArgs) -> Result<u8, Error> {
    let cat = catalog(args.rules.as_deref())?;
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
    let mut out = output(args.out.as_deref())?;
    let name = args
        .out
        .as_ref()
        .map_or("<stdout>".into(), |p| p.display().to_string());
    let mut buf = String::new();
    for (i, set) in sets.iter().enumerate() {
        buf.clear();
        // Start each rule set's cases a month into its validity period.
        let start = set
            .rules
            .valid_from
            .and_hms_opt(9, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis())
            + 30 * 86_400_000;
        let spec = Spec {
            cases: args.cases,
            seed: args.seed.wrapping_add(i as u64),
            late_one_in: args.late_one_in,
            start,
        };
        generate(set, &spec, &mut buf);
        out.write_all(buf.as_bytes()).map_err(io_err(&name))?;
    }
    out.flush().map_err(io_err(&name))?;
    Ok(0)
}
