//! `reglament generate`.

use super::{GenerateArgs, catalog, io_err, output};
use reglament::Error;

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
    let text = reglament::generate::for_rule_sets(sets, args.cases, args.seed, args.late_one_in);
    let name = args
        .out
        .as_ref()
        .map_or("<stdout>".into(), |p| p.display().to_string());
    let mut out = output(args.out.as_deref())?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(io_err(&name))?;
    Ok(0)
}
