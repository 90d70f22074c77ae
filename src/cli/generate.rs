//! `reglament generate`.

use super::{GenerateArgs, Output, catalog};
use crate::Error;

pub fn run(args: GenerateArgs) -> Result<u8, Error> {
    let cat = catalog(&args.rules)?;
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
    let text = crate::generate::for_rule_sets(sets, args.cases, args.seed, args.late_one_in);
    Output::open(args.out.as_deref())?.write_with(|out| out.write_all(text.as_bytes()))?;
    Ok(0)
}
