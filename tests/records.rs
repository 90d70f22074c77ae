//! Issue 16, where a log begins: a provider's export holds only the provider's records,
//! and says so through its mapping (`records`) or `check --records`. The survey licence
//! (seed 001): a portal request (processes 1-9, 11.1-11.13: sign-up, sign-in, form, the
//! applicant's signature, the portal's registration) reaches the provider, whose office
//! registers it (5.1: "мемлекеттік көрсетілетін қызмет берушінің кеңсе қызметкерінің
//! өтінішті тіркеуі және ... басшысының қарауына жолдау, 20 (жиырма) минуттың ішінде");
//! a provider's export begins there.

mod common;

use std::path::PathBuf;

/// A file in the temporary directory, unique to this test process and `name`.
fn temp(name: &str, text: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("reglament-records-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The provider's own records of a portal request, as CSV: registration to dispatch.
const EXPORT: &str = "case,service,step,at,channel,variant
c1,zhambyl-2016-84-survey-licence,p_register,2016-06-01T10:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_resolution,2016-06-01T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_executor_review,2016-06-02T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_commission,2016-06-03T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_protocol_approved,2016-06-06T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_prepare_result,2016-06-07T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_sign,2016-06-08T11:00:00+06:00,portal,issue
c1,zhambyl-2016-84-survey-licence,p_dispatch,2016-06-08T12:00:00+06:00,portal,issue
";

fn kinds(run: &common::Run) -> Vec<(String, String, String)> {
    common::findings_of(run, "c1")
}

fn warned(run: &common::Run) -> bool {
    (run.report["warnings"].as_array().into_iter().flatten()).any(|w| {
        w.as_str()
            .is_some_and(|w| w.contains("records of the provider only"))
    })
}

#[test]
fn issue_16_a_provider_export_of_a_portal_request_is_complete_with_its_recorders_said() {
    let log = temp("export.csv", EXPORT);
    let log = log.to_str().unwrap();
    // Judged as holding everyone's records (the default, as before): the applicant's steps
    // on egov.kz are "missing", a hard finding naming steps the provider never records.
    let all = common::check_with(&[log]);
    assert_eq!(
        kinds(&all),
        common::owned(&[("missing_step", "portal_auth", "11.2")]),
        "{:#?}",
        all.report["violations"]
    );
    assert!(!warned(&all));
    // `--records provider`: complete, and the report says whose records it judged.
    let provider = common::check_with(&[log, "--records", "provider"]);
    assert_eq!(kinds(&provider), common::owned(&[]));
    assert!(warned(&provider), "{:#?}", provider.report["warnings"]);
    // The mapping says the same; `--records` overrides it.
    let map = temp(
        "map.json",
        r#"{"services": {"zhambyl-2016-84-survey-licence": ["zhambyl-2016-84-survey-licence"]}, "records": ["provider"]}"#,
    );
    let map = map.to_str().unwrap();
    let mapped = common::check_with(&[log, "--map", map]);
    assert_eq!(kinds(&mapped), common::owned(&[]), "{:#?}", mapped.report);
    assert!(warned(&mapped));
    let every = "applicant,portal,state_corporation,provider,state_system";
    let overridden = common::check_with(&[log, "--map", map, "--records", every]);
    assert_eq!(kinds(&overridden), kinds(&all));
    // A recorder that is none is refused, naming the list.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_reglament"))
        .args(["check", log, "--records", "clerk"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("--records") && stderr.contains("\"clerk\""),
        "{stderr}"
    );
}
