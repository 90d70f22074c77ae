//! The state file's schema: each version's SQL, applied in order, and the marks that
//! say a file is a reglament state (`PRAGMA application_id`) and which version wrote it
//! (`PRAGMA user_version`). `docs/state.md` documents every table and view.

/// `PRAGMA application_id` of a reglament state: "RGLM" in ASCII.
pub const APPLICATION_ID: i32 = 0x5247_4C4D;

/// The migrations: `MIGRATIONS[n]` takes a file from version `n` to `n + 1`. A file at
/// version 0 with no table is new. The version this build writes is their number.
pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build reads and writes.
pub fn current() -> i64 {
    MIGRATIONS.len() as i64
}

/// Version 1: runs, their inputs, rule sets and compliance; the cases with what the
/// next run needs of them; the findings with their first, last and resolving run.
const V1: &str = r"
CREATE TABLE runs (
    run        INTEGER PRIMARY KEY,
    as_of      TEXT    NOT NULL,
    as_of_ms   INTEGER NOT NULL,
    calendar   TEXT    NOT NULL,
    reglament  TEXT    NOT NULL,
    lines      INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    cases      INTEGER NOT NULL,
    open_cases INTEGER NOT NULL,
    new        INTEGER NOT NULL,
    open       INTEGER NOT NULL,
    resolved   INTEGER NOT NULL
);
CREATE TABLE run_inputs (
    run    INTEGER NOT NULL REFERENCES runs(run),
    ix     INTEGER NOT NULL,
    name   TEXT    NOT NULL,
    size   INTEGER,
    sha256 TEXT,
    PRIMARY KEY (run, ix)
) WITHOUT ROWID;
CREATE TABLE run_rule_sets (
    run      INTEGER NOT NULL REFERENCES runs(run),
    rule_set TEXT    NOT NULL,
    sha256   TEXT    NOT NULL,
    PRIMARY KEY (run, rule_set)
) WITHOUT ROWID;
CREATE TABLE run_providers (
    run                 INTEGER NOT NULL REFERENCES runs(run),
    provider            TEXT    NOT NULL,
    cases               INTEGER NOT NULL,
    cases_with_findings INTEGER NOT NULL,
    PRIMARY KEY (run, provider)
) WITHOUT ROWID;
CREATE TABLE cases (
    service   TEXT    NOT NULL,
    case_id   TEXT    NOT NULL,
    provider  TEXT,
    rule_set  TEXT,
    end_step  TEXT,
    end_at    INTEGER,
    violated  INTEGER NOT NULL DEFAULT 0,
    recheck_at INTEGER,
    PRIMARY KEY (service, case_id)
) WITHOUT ROWID;
CREATE INDEX cases_recheck ON cases (recheck_at) WHERE end_step IS NULL;
CREATE TABLE open_events (
    service  TEXT    NOT NULL,
    case_id  TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    step     TEXT    NOT NULL,
    channel  TEXT,
    variant  TEXT,
    ground   TEXT,
    provider TEXT,
    at       INTEGER NOT NULL,
    started  INTEGER,
    file     TEXT    NOT NULL,
    line     INTEGER NOT NULL,
    PRIMARY KEY (service, case_id, seq)
) WITHOUT ROWID;
CREATE TABLE late_events (
    service  TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    identity BLOB NOT NULL,
    PRIMARY KEY (service, case_id, identity)
) WITHOUT ROWID;
CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    service       TEXT    NOT NULL,
    case_id       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    ref           TEXT    NOT NULL,
    nth           INTEGER NOT NULL,
    provider      TEXT,
    rule_set      TEXT,
    rule_set_hash TEXT,
    pos           INTEGER NOT NULL,
    body          TEXT    NOT NULL,
    first_run     INTEGER NOT NULL,
    last_run      INTEGER NOT NULL,
    resolved_run  INTEGER,
    UNIQUE (service, case_id, kind, subject, ref, nth)
);
CREATE INDEX findings_resolved ON findings (resolved_run);
CREATE VIEW finding_status AS
SELECT f.id, f.service, f.case_id, f.kind, f.subject, f.ref, f.nth, f.provider,
       f.rule_set, f.rule_set_hash, f.first_run, f.last_run, f.resolved_run,
       CASE
           WHEN f.resolved_run IS NOT NULL THEN 'resolved'
           WHEN f.first_run = (SELECT max(run) FROM runs) THEN 'new'
           ELSE 'open'
       END AS status,
       json_extract(f.body, '$.severity') AS severity,
       json_extract(f.body, '$.at') AS at
FROM findings f;
CREATE VIEW provider_compliance AS
SELECT p.run, r.as_of, p.provider, p.cases, p.cases_with_findings,
       CASE WHEN p.cases = 0 THEN NULL
            ELSE 1.0 - CAST(p.cases_with_findings AS REAL) / p.cases END AS compliance
FROM run_providers p JOIN runs r ON r.run = p.run;
";
