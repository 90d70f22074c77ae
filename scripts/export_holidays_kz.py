#!/usr/bin/env python3
"""Export the Python `holidays` package's view of Kazakhstan, 2013-2025, day by day.

Why: issue 7 asks for a cross-check of rules/calendar/kz.json against a source that was
built independently of it. The `holidays` package (github.com/vacanza/holidays) keeps a KZ
calendar with the statutory holidays, the weekend transfer of Law No. 267-II and the
Government's (from 2023 the Ministry of Labour's) decreed swaps, each year citing the act on
adilet.zan.kz. This script writes that view to a committed fixture so that the Rust test
tests/calendar_independent.rs can compare it with our calendar without Python.

Usage (the version is pinned: the fixture records it, and a different version may
disagree differently):

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install -r scripts/requirements.txt
    /tmp/hv/bin/python scripts/export_holidays_kz.py > tests/data/holidays-kz-2013-2025.json

Each day says whether the package treats it as a working day (`is_working_day`: not a
holiday, and Monday to Friday or one of its decreed working weekend days) and the names the
package gives it (holidays, observed days off, substituted days off). The disagreements
with our calendar and who is right are kept apart, by hand, in
tests/data/holidays-kz-disagreements.json, so regenerating this file never loses them.
"""

import datetime
import json
import sys

import holidays

PINNED = "0.109"
FIRST, LAST = datetime.date(2013, 1, 1), datetime.date(2025, 12, 31)


def main() -> int:
    if holidays.__version__ != PINNED:
        print(
            f"holidays {holidays.__version__} installed, the fixture is pinned to {PINNED}",
            file=sys.stderr,
        )
        return 2
    kz = holidays.country_holidays(
        "KZ", years=range(FIRST.year, LAST.year + 1), language="en_US"
    )
    weekend_workdays = sorted(d for d in kz.weekend_workdays if FIRST <= d <= LAST)
    out = sys.stdout
    out.write("{\n")
    out.write(' "package": "holidays",\n')
    out.write(f' "version": {json.dumps(holidays.__version__)},\n')
    out.write(' "country": "KZ",\n')
    out.write(' "generated_by": "scripts/export_holidays_kz.py",\n')
    out.write(
        ' "doc": "One entry per date: working is holidays.KZ().is_working_day(date) (no holiday,'
        " and Monday-Friday or a decreed working weekend day); names are the package's names"
        ' for the date (en_US). Disagreements with rules/calendar/kz.json: tests/data/holidays-kz-disagreements.json",\n'
    )
    out.write(f' "range": {{"from": "{FIRST}", "to": "{LAST}"}},\n')
    out.write(f' "weekend_workdays": {json.dumps([d.isoformat() for d in weekend_workdays])},\n')
    out.write(' "days": [\n')
    day, lines = FIRST, []
    while day <= LAST:
        names = kz.get_list(day)
        entry = {"date": day.isoformat(), "working": kz.is_working_day(day)}
        if names:
            entry["names"] = names
        lines.append("  " + json.dumps(entry, ensure_ascii=False))
        day += datetime.timedelta(days=1)
    out.write(",\n".join(lines))
    out.write("\n ]\n}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
