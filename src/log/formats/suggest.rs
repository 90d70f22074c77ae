//! Which step of a rule set a provider's activity name most likely means, for `inspect`
//! and its draft mapping. A suggestion is a hint for the person writing the mapping,
//! never a verdict: every suggested step is marked for review.
//!
//! Names are compared as weighted bags of words, in every language a step is named in
//! (its Kazakh, Russian and English names and its id). Each word is folded (case, `ё`),
//! stripped of punctuation and reduced to a stem: Russian and English by Snowball
//! (rust-stemmers); Kazakh, which Snowball lacks, by stripping the common case, plural,
//! possessive and verbal-noun endings (`тіркеуі` -> `тірке`). Words that name what a step
//! does («регистрация/тіркеу», «резолюция/бұрыштама», «комиссия», «подпись/қол қою»,
//! «выдача/беру», ...) also count as a shared key word in any language, weighted three
//! times. A word's weight is its rarity among the service's steps (inverse document
//! frequency), so the words every step shares («услугодатель», «мемлекеттік») count for
//! little. The score of a step is the share of the activity's weight its names cover,
//! less a little for key words of the step the activity does not have (so «Регистрация»
//! prefers the registering step to one that registers a refusal).
//!
//! The evaluation set `tests/data/step-suggestions.tsv` and `tests/step_suggestions.rs`
//! measure top-1 and top-3 accuracy (README, "Bringing in a provider's log").

use super::mapping::fold;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// Key words: a prefix (or, starting with `=`, a whole word) of a folded word, and the
/// action or party it names, shared across Russian, Kazakh and English.
const KEY_WORDS: &[(&str, &str)] = &[
    ("прием", "accept"),
    ("прин", "accept"),
    ("қабылда", "accept"),
    ("accept", "accept"),
    ("регистр", "register"),
    ("тірке", "register"),
    ("register", "register"),
    ("registr", "register"),
    ("резолюц", "resolution"),
    ("бұрыштам", "resolution"),
    ("resolution", "resolution"),
    ("комисс", "commission"),
    ("commission", "commission"),
    ("подпис", "sign"),
    ("подписан", "sign"),
    ("визир", "sign"),
    ("=қол", "sign"),
    ("sign", "sign"),
    ("выдач", "issue"),
    ("выда", "issue"),
    ("=беру", "issue"),
    ("=беруі", "issue"),
    ("=беруді", "issue"),
    ("=береді", "issue"),
    ("hand", "issue"),
    ("issu", "issue"),
    ("направ", "send"),
    ("переда", "send"),
    ("передач", "send"),
    ("жолда", "send"),
    ("жібер", "send"),
    ("өткіз", "send"),
    ("send", "send"),
    ("sent", "send"),
    ("forward", "send"),
    ("dispatch", "send"),
    ("отказ", "refusal"),
    ("тарт", "refusal"),
    ("refus", "refusal"),
    ("reject", "refusal"),
    ("протокол", "protocol"),
    ("хаттам", "protocol"),
    ("protocol", "protocol"),
    ("подготов", "prepare"),
    ("готов", "prepare"),
    ("дайында", "prepare"),
    ("әзірле", "prepare"),
    ("prepar", "prepare"),
    ("draft", "prepare"),
    ("проект", "prepare"),
    ("жоба", "prepare"),
    ("рассмотр", "review"),
    ("қара", "review"),
    ("review", "review"),
    ("провер", "check"),
    ("тексер", "check"),
    ("check", "check"),
    ("контрол", "check"),
    ("бақыла", "check"),
    ("руковод", "head"),
    ("басшы", "head"),
    ("head", "head"),
    ("исполнит", "executor"),
    ("орындаушы", "executor"),
    ("executor", "executor"),
    ("канцеляр", "office"),
    ("кеңсе", "office"),
    ("office", "office"),
    ("цон", "state_corporation"),
    ("госкорпор", "state_corporation"),
    ("корпорац", "state_corporation"),
    ("corporation", "state_corporation"),
    ("портал", "portal"),
    ("portal", "portal"),
    ("оплат", "pay"),
    ("төле", "pay"),
    ("төлем", "pay"),
    ("pay", "pay"),
    ("авториз", "auth"),
    ("авторланд", "auth"),
    ("auth", "auth"),
    ("утвержд", "approve"),
    ("утвер", "approve"),
    ("бекіт", "approve"),
    ("approv", "approve"),
    ("постановлен", "decree"),
    ("қаулы", "decree"),
    ("decree", "decree"),
    ("копи", "copy"),
    ("көшірме", "copy"),
    ("copy", "copy"),
    ("заместит", "deputy"),
    ("орынбасар", "deputy"),
    ("deputy", "deputy"),
    ("dept", "department"),
    ("отдел", "department"),
    ("бөлім", "department"),
    ("department", "department"),
    ("сведен", "data"),
    ("мәлімет", "data"),
    ("данн", "data"),
    ("дерект", "data"),
    ("data", "data"),
    ("выбор", "select"),
    ("выбира", "select"),
    ("таңда", "select"),
    ("select", "select"),
    ("запрос", "request"),
    ("сұра", "request"),
    ("request", "request"),
    ("query", "request"),
    ("заполн", "fill"),
    ("толтыр", "fill"),
    ("fill", "fill"),
    ("полнот", "complete"),
    ("толықты", "complete"),
    ("complete", "complete"),
    ("разреш", "permit"),
    ("рұқсат", "permit"),
    ("permit", "permit"),
    ("согласов", "consent"),
    ("келісі", "consent"),
    ("consent", "consent"),
    ("экспертиз", "expertise"),
    ("сараптам", "expertise"),
    ("expert", "expertise"),
];

/// Words too common to tell steps apart, in the three languages.
const STOP_WORDS: &[&str] = &[
    "и",
    "в",
    "во",
    "на",
    "по",
    "с",
    "со",
    "о",
    "об",
    "для",
    "от",
    "к",
    "из",
    "за",
    "до",
    "его",
    "ее",
    "или",
    "не",
    "при",
    "через",
    "және",
    "мен",
    "бен",
    "пен",
    "үшін",
    "бойынша",
    "туралы",
    "немесе",
    "осы",
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "or",
    "for",
    "in",
    "on",
    "by",
    "with",
    "its",
    "it",
    "his",
    "her",
    "p",
    "sc",
];

/// Kazakh endings stripped, longest first (case, plural, possessive, verbal noun).
const KAZAKH_ENDINGS: &[&str] = &[
    "ларының",
    "лерінің",
    "ларына",
    "леріне",
    "сының",
    "сінің",
    "ларды",
    "лерді",
    "дарды",
    "дерді",
    "тарды",
    "терді",
    "ының",
    "інің",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "ларға",
    "лерге",
    "лары",
    "лері",
    "лар",
    "лер",
    "дар",
    "дер",
    "тар",
    "тер",
    "ғана",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "нда",
    "нде",
    "ына",
    "іне",
    "мен",
    "бен",
    "пен",
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    "да",
    "де",
    "та",
    "те",
    "уы",
    "уі",
    "сы",
    "сі",
    "у",
];

/// Whether `w` has a letter only Kazakh uses among the Cyrillic alphabets here.
fn is_kazakh(w: &str) -> bool {
    w.chars()
        .any(|c| matches!(c, 'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'і'))
}

/// A Kazakh word without its common endings (at most three, the stem kept to 4 letters).
pub fn kazakh_stem(w: &str) -> String {
    let mut s = w.to_string();
    for _ in 0..3 {
        let cut = KAZAKH_ENDINGS
            .iter()
            .find(|e| s.ends_with(*e) && s.chars().count() >= e.chars().count() + 4);
        match cut {
            Some(e) => s.truncate(s.len() - e.len()),
            None => break,
        }
    }
    s
}

/// Words of names, stemmed and weighted.
pub struct Analyzer {
    ru: Stemmer,
    en: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            ru: Stemmer::create(Algorithm::Russian),
            en: Stemmer::create(Algorithm::English),
        }
    }
}

/// A word of a name: a stem, or a key word (`#register`).
type Term = String;

impl Analyzer {
    /// The terms of a name: each word's stem, and its key word if it has one.
    pub fn terms(&self, name: &str) -> Vec<Term> {
        let folded = fold(name).replace('ё', "е");
        let mut out = Vec::new();
        for w in folded.split(|c: char| !c.is_alphanumeric()) {
            if w.is_empty() || STOP_WORDS.contains(&w) || w.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            if let Some((_, key)) = KEY_WORDS.iter().find(|(p, _)| match p.strip_prefix('=') {
                Some(whole) => w == whole,
                None => w.starts_with(p),
            }) {
                out.push(format!("#{key}"));
            }
            let stem = if is_kazakh(w) {
                kazakh_stem(w)
            } else if w.chars().any(|c| ('а'..='я').contains(&c)) {
                self.ru.stem(w).into_owned()
            } else {
                self.en.stem(w).into_owned()
            };
            out.push(stem);
        }
        out
    }
}

/// One step's names as terms.
struct Step<'s> {
    id: &'s str,
    /// The terms of all its names.
    terms: HashSet<Term>,
    /// The terms of its id alone (`p_deputy_resolution`): the shortest statement of what
    /// the step is, which tells apart steps whose long names share most words.
    short: HashSet<Term>,
    keys: HashSet<Term>,
}

/// The steps of one service, ready to score activity names against.
pub struct Scorer<'s> {
    analyzer: Analyzer,
    steps: Vec<Step<'s>>,
    /// Weight of each term: its rarity among the steps.
    idf: HashMap<Term, f64>,
    /// Weight of a term no step has.
    unseen: f64,
}

/// Weight of a key word against a plain word.
const KEY_WEIGHT: f64 = 3.0;
/// What each key word of a step that the activity lacks costs.
const MISSING_KEY: f64 = 0.04;
/// What a refusal step costs an activity that says nothing of a refusal: the steps that
/// refuse repeat the words of the step they refuse («отказывает в приёме»).
const MISSING_REFUSAL: f64 = 0.25;
/// Share of the score given by the step's id alone.
const SHORT_SHARE: f64 = 0.4;

impl<'s> Scorer<'s> {
    /// `steps`: each step's id and its names (id, kk, ru, en).
    pub fn new(steps: impl IntoIterator<Item = (&'s str, Vec<&'s str>)>) -> Scorer<'s> {
        let analyzer = Analyzer::default();
        let mut out: Vec<Step<'s>> = Vec::new();
        for (id, names) in steps {
            if out.iter().any(|s| s.id == id) {
                continue;
            }
            let mut terms = HashSet::new();
            for n in names {
                terms.extend(analyzer.terms(&n.replace('_', " ")));
            }
            let short: HashSet<Term> = analyzer.terms(&id.replace('_', " ")).into_iter().collect();
            terms.extend(short.iter().cloned());
            let keys = terms
                .iter()
                .filter(|t| t.starts_with('#'))
                .cloned()
                .collect();
            out.push(Step {
                id,
                terms,
                short,
                keys,
            });
        }
        let n = out.len().max(1) as f64;
        let mut df: HashMap<Term, f64> = HashMap::new();
        for s in &out {
            for t in &s.terms {
                *df.entry(t.clone()).or_default() += 1.0;
            }
        }
        let idf = df
            .into_iter()
            .map(|(t, d)| {
                let w = (1.0 + n / d).ln();
                let w = if t.starts_with('#') {
                    w * KEY_WEIGHT
                } else {
                    w
                };
                (t, w)
            })
            .collect();
        Scorer {
            analyzer,
            steps: out,
            idf,
            unseen: (1.0 + n).ln(),
        }
    }

    fn weight(&self, t: &str) -> f64 {
        self.idf.get(t).copied().unwrap_or(if t.starts_with('#') {
            self.unseen * KEY_WEIGHT
        } else {
            self.unseen
        })
    }

    /// The steps best matching `activity`, best first, with scores in 0..=1.
    pub fn rank(&self, activity: &str, n: usize) -> Vec<(&'s str, f64)> {
        let mut terms = self.analyzer.terms(activity);
        terms.sort();
        terms.dedup();
        let total: f64 = terms.iter().map(|t| self.weight(t)).sum();
        let keys: HashSet<&Term> = terms.iter().filter(|t| t.starts_with('#')).collect();
        let mut scored: Vec<(&'s str, f64)> = self
            .steps
            .iter()
            .map(|s| {
                let share = |set: &HashSet<Term>| {
                    let covered: f64 = (terms.iter().filter(|t| set.contains(*t)))
                        .map(|t| self.weight(t))
                        .sum();
                    if total > 0.0 { covered / total } else { 0.0 }
                };
                let score = (1.0 - SHORT_SHARE) * share(&s.terms) + SHORT_SHARE * share(&s.short);
                let cost: f64 = (s.keys.iter().filter(|k| !keys.contains(k)))
                    .map(|k| {
                        if k == "#refusal" {
                            MISSING_REFUSAL
                        } else {
                            MISSING_KEY
                        }
                    })
                    .sum();
                (s.id, (score - cost).clamp(0.0, 1.0))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        scored.truncate(n);
        scored
    }
}

/// The scorer of one service: the steps of every edition of its rule sets.
pub fn for_service<'c>(catalog: &'c crate::rules::Catalog, service: &str) -> Scorer<'c> {
    let sets = catalog.editions(service).unwrap_or(&[]);
    Scorer::new(sets.iter().flat_map(move |&i| {
        catalog.sets[i].rules.steps.iter().map(|s| {
            let mut names = vec![s.id.as_str(), s.name.kk.as_str(), s.name.en.as_str()];
            names.extend(s.name.ru.as_deref());
            (s.id.as_str(), names)
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_endings_are_stripped() {
        assert_eq!(kazakh_stem("тіркеуі"), "тірке");
        assert_eq!(kazakh_stem("басшысының"), "басшы");
        assert_eq!(kazakh_stem("құжаттарды"), "құжат");
        assert_eq!(kazakh_stem("қол"), "қол");
    }

    #[test]
    fn words_fold_stem_and_carry_key_words() {
        let a = Analyzer::default();
        let t = a.terms("Регистрация заявления, ЦОН!");
        assert!(t.contains(&"#register".to_string()), "{t:?}");
        assert!(t.contains(&"#state_corporation".to_string()), "{t:?}");
        assert_eq!(a.terms("Приём"), a.terms("прием"));
        assert!(
            a.terms("өтінішті тіркеу")
                .contains(&"#register".to_string())
        );
        assert!(a.terms("нәтижеге қол қою").contains(&"#sign".to_string()));
    }
}
