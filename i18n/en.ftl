# English catalog of reglament: every message, label and heading of every report.
# Keys are the same in kk.ftl, ru.ftl and en.ftl (a test checks it). The Kazakh text of
# a regulation is the authority; these are the tool's own words.

## Paragraphs, as English cites them
# $form (nom, or by: "set by ..."): English has one form.

cite-para = para { $para }
cite-sub = para { $para }({ $sub })
cite-process = para { $para }, process { $n }
cite-annex = annex { $annex }
cite-annex-table = annex { $annex }, table { $table }
cite-annex-row = annex { $annex }, table { $table }, row { $row }
cite-standard = the national standard ({ $part })
cite-standard-para = para { $para } of the national standard
cite-standard-term = { $form ->
    [by] the national standard (its term)
   *[nom] the national standard (its term)
}
cite-standard-schedule = the national standard (its working hours)
cite-other = para { $ref }

## Quantities: the noun agrees with the number

amount = { $n } { $unit ->
    [seconds] { $n ->
        [one] second
       *[other] seconds
    }
    [minutes] { $n ->
        [one] minute
       *[other] minutes
    }
    [hours] { $n ->
        [one] hour
       *[other] hours
    }
    [working_days] { $n ->
        [one] working day
       *[other] working days
    }
   *[calendar_days] { $n ->
        [one] calendar day
       *[other] calendar days
    }
}
deadline-day = end of { $date }
deadline-time = { $time }
amount-hours-minutes = { $big } h { $small } min
amount-minutes-seconds = { $big } min { $small } s
list-none = none

## Kinds and severities

kind-unknown_service = unknown service
kind-unknown_step = unknown step
kind-unexpected_step = step out of order
kind-missing_step = missing step
kind-duplicate_step = repeated step
kind-step_overdue = step overdue
kind-term_overdue = term overdue
kind-open_overdue = open case overdue
kind-refusal_without_ground = refusal without a ground
kind-refusal_ground_not_allowed = refusal ground not allowed
kind-event_after_end = event after the end
kind-outside_calendar = outside the calendar
severity-hard = hard
severity-norm = norm

## Findings

basis = { $inferred ->
    [yes] inferred for { $cite } (the figure is not in the text; see the rule set's notes)
   *[no] set by { $cite }
}
step-overdue = step { $step } ({ $name }) took { $actual }, over the limit of { $limit }{ $quote } { basis }; deadline { $deadline }
term-overdue = term { $term } ending at step { $step } took { $actual }, over the limit of { $limit }{ $quote } { basis }; deadline { $deadline }
step-overdue-day = step { $step } ({ $name }) closed on { $closed }, after the deadline of end of { $due } ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; it took { $actual }
   *[no] {""}
}
term-overdue-day = term { $term } ending at step { $step } closed on { $closed }, after the deadline of end of { $due } ({ $limit }{ $quote }, { basis }){ $more ->
    [yes] ; it took { $actual }
   *[no] {""}
}
open-overdue = case still open at { $as_of }: { $what } was due by { $deadline } ({ $limit } allowed, { basis }); { $actual } have passed
open-step = step { $step } ({ $name }) after { $prev }
open-term = term { $term } from { $from } to { $to }
open-outside-passed = case still open at { $as_of }: { $what } was due by { $deadline } ({ $limit } allowed, { basis }), which has passed; the time taken cannot be counted: date { $date } is outside the calendar range { $from }..={ $to }
open-outside = case still open at { $as_of }: whether { $what } is overdue ({ $limit } allowed, { basis }) cannot be counted: date { $date } is outside the calendar range { $from }..={ $to }
outside-calendar = the limit of { $cite } could not be checked: date { $date } is outside the calendar range { $from }..={ $to }
undeclared-channel = the case names channel "{ $value }", which the regulation does not provide; it provides: { $provided }
undeclared-variant = the case names variant "{ $value }", which the regulation does not provide; it provides: { $provided }
unknown-step = rule set { $rule_set } has no step "{ $value }"
event-after-end = step { $step } ({ $name }) came after the case had ended
at-start = at the start of the case
after-step = after { $step }
not-on-route = step { $step } ({ $name }) is not part of this case's channel or variant
duplicate-step = step { $step } ({ $name }) repeated { $after }, which { $cite } does not allow
missing-step = step { $step } came { $after } without { $missing } ({ $name }, { $cite }){ $skipped_count ->
    [0] {""}
   *[other] ; skipped: { $skipped }
}
unexpected-step = step { $step } ({ $name }) may not come { $after }; allowed: { $allowed }
result-after-refusal = step { $step } hands out a result, but the case's refusal was decided at step { $refusal } ({ $cite })
refusal-undecided = step { $step } hands out a refusal, but no step of the case decided one
refusal-without-ground = refusal at step { $step } ({ $name }) cites no ground; { $cite } requires a reasoned refusal on an allowed ground
ground-not-allowed = refusal at step { $step } cites ground "{ $ground }", which the regulation does not allow here; allowed: { $allowed }
unknown-service = no rule set describes service "{ $service }"

## Warnings

warning-no-decree = no day-swap decree recorded for { $years }: { $count ->
    [one] its days follow
   *[other] their days follow
} the statutory holiday rules only and may miss decreed swaps
warning-terms-not-checked = { $rule_set }: { $count ->
    [one] term
   *[other] terms
} { $terms } not checked: the regulation gives no value
warning-empty-input = { $file }: empty input, no line was read (a closed standard input reads as empty)
warning-validity-start = { $rule_set }: { $cases } { $cases ->
    [one] case begun { $days } is
   *[other] cases begun { $days } are
} judged under this edition, which may not yet have applied then: it applies from { $earliest } at the earliest (ten days after a publication date the text does not give), { $latest ->
    [unknown] and the data give no latest possible first day
   *[other] and from { $latest } at the latest{ $inferred ->
        [yes] {" "}(inferred from publication practice)
       *[no] {""}
    }
}
warning-validity-end = { $rule_set }: { $cases } { $cases ->
    [one] case begun { $days } is
   *[other] cases begun { $days } are
} judged under this edition, which may no longer have applied then: its last day is { $earliest } at the earliest (its repeal applies from a day the text does not give), { $latest ->
    [unknown] and the data give no latest possible last day
   *[other] and { $latest } at the latest{ $inferred ->
        [yes] {" "}(inferred from publication practice)
       *[no] {""}
    }
}

## Text report

text-title = reglament check: { $files ->
    [one] { $files } file
   *[other] { $files } files
}, { $lines ->
    [one] { $lines } line
   *[other] { $lines } lines
} read
text-events = events accepted { $events }, records rejected { $rejected }
text-blank = blank lines skipped { $n }
text-cases = cases { $cases } (checked { $checked }, open { $open }), with violations { $violating }
text-as-of = open cases judged as of { $as_of }
text-no-violations = no violations
text-violations = violations { $n } (hard { $hard }, norm { $norm })
text-by-provider = by provider
text-by-service = by service
text-by-kind = by kind
text-no-provider = (no provider named)
text-unreadable = error: { $file }: could not be read to its end: { $reason }
text-warning = warning
text-cases-heading = Cases
text-case = case { $case }
text-act = { $issuer } No. { $number } of { $date }{ $annex ->
    [none] {""}
   *[other] , annex { $annex }
}
text-edition = edition { $edition }
text-event-at = event at { $time }
text-rejected = rejected records ({ $n }):
text-field = field { $field }:
text-rejected-more = ... { $n } more not shown (--max-rejected-shown); all rejected by reason: { $reasons }

## HTML report
html-title = reglament: compliance report
html-due_soon = Due soon
html-due_soon_note = Open cases whose next deadline falls within the window at the time the report judges open cases: not violations yet, and they do not change the exit code. Soonest first.
html-days_left = Working days left
html-summary = Summary
html-files = Logs read
html-lines = Lines
html-events = Events
html-rejected = Rejected records
html-unreadable = Unreadable logs
html-cases = Cases
html-cases_checked = Checked against a rule set
html-open_cases = Open cases
html-cases_with_violations = Cases with violations
html-violations = Violations
html-hard = hard (legal deadlines and rules)
html-norm = norm (target times)
html-as_of = Open cases judged at
html-not_judged = open cases counted, not judged (no --as-of)
html-compliance = Compliance rate
html-compliance_note = Share of finished cases (a result or a refusal was handed out) that kept every hard time limit: no hard step_overdue or term_overdue finding. The count behind each share is given; order findings are not counted here, nor are cases with a deadline outside the calendar data (not judged), cases with a rejected record of their own or, unless they broke another hard limit, with a hard limit that could not be measured, or terms the regulation gives no value for (see the warnings).
html-by_provider = By provider
html-by_service = By service
html-finished = finished
html-compliant = kept every hard limit
html-rate = rate
html-root_causes = Root causes of overruns
html-root_causes_note = Each step or term whose limit was exceeded (step_overdue, term_overdue, open_overdue), with the paragraph of the limit; bars are the share of all overdue days (calendar days from the deadline to the late event), the line their running total.
html-step = Step
html-paragraph = Paragraph
html-count = Count
html-overdue_days = Overdue days
html-share = Share
html-cumulative = Cumulative
html-step_times = Time taken against the limit, per step
html-step_times_note = For every step with a limit that cases reached: the first bar counts the cases within the limit; cases where the limit could not be measured (a desk-time limit on an event without its start time) are counted apart as not measured, never as within it; the red bars are the overruns by the time they took, in the limit's unit. The engine reports a duration only when a limit is exceeded.
html-limits-n = { $n ->
    [one] { $n } limit
   *[other] { $n } limits
}
html-overruns-n = { $n ->
    [one] { $n } overrun
   *[other] { $n } overruns
}
html-limit = Limit
html-reached-n = { $n ->
    [one] { $n } case reached the step
   *[other] { $n } cases reached the step
}
html-table_note = Filter with the lists; click a column heading to sort.
html-all = all
html-shown = shown
html-case = Case
html-service = Service
html-provider = Provider
html-kind = Kind
html-severity = Severity
html-actual = Taken
html-phrase = Regulation's phrase
html-deadline = Deadline
html-at = Event time
html-source = Log line
html-message = Finding
html-timelines = Timelines of violating cases
html-timelines_note = Each row is an event, placed at its local time; the grey bar runs from the previous event. A black tick is a deadline, red is the time past it, an orange ring a finding about order or grounds. Shaded columns are non-working days of the Kazakhstan calendar. Cases with the most overdue days come first.
html-timelines_cut = Only the first cases are drawn; the table above lists every violation.
html-day_off = non-working day
html-late = late
html-warnings = Warnings
html-rejected_records = Rejected records
html-reason = Reason
html-field = Field
html-none = none
html-no_provider = (no provider named)

## Consequences and cases due soon

text-consequential = consequences of these listed with them, not counted: { $n }
text-consequence-of = consequence of { $kind } { $step }, not counted
text-due-heading = due soon ({ $n }), not violations yet:
text-due-step = step { $step }
text-due-term = term { $term } (closing step { $step })
text-due-line = case { $case } — { $service }: { $what } [{ $cite }] due by { $deadline } ({ $limit } allowed), { $left } left

## Why a record was rejected (Kazakh and Russian reports; English shows the reader's own detail)

reason-too_long = the record is longer than the reader's limit (1 MiB) and was skipped unread
reason-invalid_utf8 = the record is not UTF-8 (give the export's encoding, e.g. --encoding windows-1251)
reason-syntax = the record is damaged: not a well-formed line of its format (JSON, CSV or XES)
reason-not_an_object = the record is well-formed but not an event (an object with case, service, step and at was expected)
reason-missing_field = a required field is missing
reason-wrong_type = a field has the wrong type (a string was expected)
reason-bad_time = the time could not be read: RFC 3339 (e.g. 2016-06-01T10:00:00+06:00) or a format the mapping lists was expected; or the local time did not exist, or the start is later than the end
reason-out_of_order = with --stream: the event is older than the time the stream had reached (the log is not in time order)

## Order, said once and truly; whose records the log holds (issue 16)

kind-out_of_order_step = step recorded out of order
out-of-order-step = step { $step } ({ $name }, { $cite }) was recorded at { $at } ({ $line }), after step { $before }, recorded at { $before_at } ({ $before_line }), which the regulation puts after it: the steps were recorded out of order, neither is missing
recorder-applicant = the applicant on the portal
recorder-portal = the portal
recorder-state_corporation = the State Corporation
recorder-provider = the provider
recorder-state_system = state information systems
warning-records = the logs were judged as holding the records of { $held } only: steps recorded only by { $not_held } are not judged for order (never a missing step), and limits and terms whose clock starts at them are not measured

## Gaps in the evidence (issue 16): rejected records of a case, limits not measured

evidence-incomplete = evidence incomplete: a record of this case was rejected, so this finding may stand on the gap; it is listed apart and not counted
text-evidence-incomplete = findings on incomplete evidence { $n }, listed apart and not counted (cases with a rejected record of their own: { $cases })
text-evidence-heading = Cases with a rejected record of their own: findings on incomplete evidence, not counted
warning-limit-not-measured = { $rule_set }: the { $limit } limit of { $cite } (step { $step }) was not measured in { $cases } { $cases ->
    [one] case
   *[other] cases
}: { $reason ->
    [no_start_time] no start time (the limit runs from the step's own start, which the event does not record)
   *[date_only] the times are known only to the day
}
html-evidence_incomplete = Findings on incomplete evidence
html-evidence_incomplete_note = A record of each of these cases was rejected (its case id could still be read), so a finding may stand on the gap: a step recorded in the rejected row looks missing and the next one late. They are listed for the inspector, and counted neither in the violations, the compliance rates, the root causes nor the exit code.
html-not_measured = not measured

## Cases not judged: no edition of their service is encoded for the day they began

not-judged-before-first-edition = the case began on { $date }, before the first day of the earliest edition of the regulation encoded ({ $edition }: { $from } at the earliest); the edition in force then, if any, is not encoded
not-judged-between-editions = the case began on { $date }, after the last day of edition { $prev } ({ $to } at the latest{ $inferred ->
    [yes] , inferred from publication practice
   *[no] {""}
}) and before the first day of edition { $edition } ({ $from } at the earliest); the edition in force then is not encoded
not-judged-after-last-edition = the case began on { $date }, after the last day of the latest edition of the regulation encoded ({ $prev }: { $to } at the latest{ $inferred ->
    [yes] , inferred from publication practice
   *[no] {""}
}), once its repeal applied; the act in force then, if any, is not encoded
text-not-judged-heading = not judged ({ $n }): no edition of their service is encoded for the day they began; these are not violations:
text-not-judged-line = case { $case } — { $service }: { $reason }
html-unjudged = Cases not judged
html-unjudged_note = These cases began on a day for which no edition of their service's regulation is encoded: they are not judged, and not counted as violations of the provider. Each row says why; a day "inferred from publication practice" was reasoned from registration dates and publication delays, not read.
html-first_day = First day

## Open cases listed, not judged (issue 16: a lost application is never silent)

open-no-deadline-heading = open with no deadline in the rule set ({ $n }), not violations:
open-no-deadline-note = The rule set gives no time after which these cases are late: no limit of a step that may come next runs while they wait, and no term with a figure is running. Each stopping step is named in the warnings.
open-waiting-heading = waiting for the applicant ({ $n }), not violations:
open-waiting-note = The next move is the applicant's own (a form not yet submitted, a payment not made): the applicant's delay is not the provider's.
open-listed-line = case { $case } — { $service }: stopped at step { $step } [{ $cite }], last event { $time }; may come next: { $next }
warning-open-no-deadline = { $rule_set }: { $cases } open { $cases ->
    [one] case
   *[other] cases
} stopped at step { $step } ({ $cite }) with no deadline in the rule set: listed, not judged
open-listed-summary = open with no deadline in the rule set { $none }, waiting for the applicant { $applicant } (listed, not violations)

# Issue 20: hostile input, second round
text-continued = lines inside quoted fields { $n }

## Nightly state (check --state, history): issue 17

since-heading = since the last run (run { $previous }, as of { $as_of }): new { $new }, resolved { $resolved }, still open { $open }
since-first = first run on this state: new { $new }, resolved { $resolved }, still open { $open }
since-provider = { $provider }: new { $new }, resolved { $resolved }, still open { $open }
since-no-provider = (no provider named): new { $new }, resolved { $resolved }, still open { $open }
since-new-heading = new since the last run ({ $n }):
since-resolved-heading = resolved since the last run ({ $n }):
since-line = case { $case } — { $service }: { $kind } [{ $cite }] { $message }
since-rule-set-added = rule set { $rule_set }: not used by the last run
since-rule-set-changed = rule set { $rule_set }: changed since the last run; open cases are judged under this run's version, findings already recorded keep the hash of the version they were made under
since-rule-set-removed = rule set { $rule_set }: used by the last run, not by this one
history-none = no run is recorded in this state
history-run = run { $run }, as of { $as_of }: events { $events }, duplicates { $duplicates }; findings new { $new }, still open { $open }, resolved { $resolved }
history-provider = { $provider }: cases { $cases }, with findings not resolved { $with }, compliance { $rate }
