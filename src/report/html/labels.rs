//! Every fixed word of the HTML page, in one table filled from the language catalog
//! (`i18n/*.ftl`, keys `html-*`), so `--lang` changes every label of the page.

use crate::i18n::Catalog;

/// Declares [`Labels`] and fills each field from catalog key `html-<field>`.
macro_rules! labels {
    ($($field:ident),* $(,)?) => {
        /// Every fixed word the page shows, in one place, in one language.
        #[derive(Debug, Clone, Copy)]
        pub struct Labels<'a> {
            /// The page's language code (`<html lang>`).
            pub lang: &'static str,
            $(pub $field: &'a str,)*
        }

        impl<'a> Labels<'a> {
            /// The labels in the language of `cat`.
            pub fn new(cat: &'a Catalog) -> Labels<'a> {
                Labels {
                    lang: cat.lang().code(),
                    $($field: cat.text(concat!("html-", stringify!($field))),)*
                }
            }

            /// Every catalog key the page uses, with the field it fills.
            pub fn keys() -> Vec<String> {
                vec![$(format!("html-{}", stringify!($field))),*]
            }
        }
    };
}

labels!(
    title,
    due_soon,
    due_soon_note,
    days_left,
    summary,
    files,
    lines,
    events,
    rejected,
    unreadable,
    cases,
    cases_checked,
    open_cases,
    cases_with_violations,
    violations,
    hard,
    norm,
    as_of,
    not_judged,
    compliance,
    compliance_note,
    by_provider,
    by_service,
    finished,
    compliant,
    rate,
    root_causes,
    root_causes_note,
    step,
    paragraph,
    count,
    overdue_days,
    share,
    cumulative,
    step_times,
    step_times_note,
    limit,
    table_note,
    all,
    shown,
    case,
    service,
    provider,
    kind,
    severity,
    actual,
    phrase,
    deadline,
    at,
    source,
    message,
    timelines,
    timelines_note,
    timelines_cut,
    day_off,
    late,
    warnings,
    rejected_records,
    reason,
    field,
    none,
    no_provider,
    not_measured,
    // Cases not judged (no edition encoded for the day they began).
    unjudged,
    unjudged_note,
    first_day,
);
