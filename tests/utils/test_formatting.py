import datetime

from django.utils import formats, translation

from opencpf.utils.formatting import long_date


def test_french_dates_say_1er_for_the_first_of_the_month():
    with translation.override("fr"):
        assert long_date(datetime.date(2026, 12, 1)) == "1er\u00a0décembre 2026"
        assert long_date(datetime.date(2026, 12, 14)) == "14\u00a0décembre 2026"
        assert long_date(datetime.date(2026, 12, 1), year=False) == "1er\u00a0décembre"
        assert long_date(datetime.date(2026, 12, 1), weekday=True) == "mardi 1er\u00a0décembre 2026"


def test_english_dates_put_the_day_first():
    with translation.override("en"):
        assert long_date(datetime.date(2026, 12, 1)) == "1\u00a0December 2026"
        assert long_date(datetime.date(2026, 12, 14), year=False) == "14\u00a0December"
        # Tables use the short format: never "12/01/2026", which reads as 12 January in Europe.
        assert formats.date_format(datetime.date(2026, 12, 1), "SHORT_DATE_FORMAT") == "1 Dec 2026"


def test_a_moment_is_dated_in_paris():
    late_evening_utc = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # 1 December in Paris
    with translation.override("fr"):
        assert long_date(late_evening_utc) == "1er\u00a0décembre 2026"


def test_a_moment_with_its_time_in_paris_on_24_hours():
    from opencpf.utils.formatting import long_datetime

    evening = datetime.datetime(2026, 12, 14, 17, 5, 9, tzinfo=datetime.UTC)  # 18:05 in Paris
    with translation.override("fr"):
        assert long_datetime(evening) == "14\u00a0décembre 2026, 18:05"
        assert long_datetime(evening, seconds=True) == "14\u00a0décembre 2026, 18:05:09"
    with translation.override("en"):
        assert long_datetime(evening) == "14\u00a0December 2026, 18:05"
    assert long_datetime(None) == ""


def test_no_template_writes_a_date_in_digits():
    """Back-office tables, histories and emails too: 14 décembre 2026 / 14 December 2026, never d/m/Y, ISO, or the
    locale's short formats (12/14/2026 in US English, 14/12/2026 in French)."""
    import re
    from pathlib import Path

    digits = re.compile(
        r"""\|date:"(?:[^"]*[dmnY]/[^"]*|[^"]*Y-m-d[^"]*|SHORT_DATE(?:TIME)?_FORMAT|DATE(?:TIME)?_FORMAT)\""""
    )
    root = Path(__file__).resolve().parents[2] / "opencpf" / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*"))
        if path.suffix in {".html", ".txt"}
        for match in digits.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
