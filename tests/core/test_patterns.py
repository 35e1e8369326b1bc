"""Every pattern in the code runs in linear time: the lint step's checker, checked itself."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from check_regexes import check_pattern, main

# The amount pattern that took 8.9 s for "1" + " " * 16000 + "x" (security issue 14).
OLD_AMOUNT = r"^(?:sek)?\s*(?P<number>.*?)\s*(?:kr\.?|kronor|sek|:-)?$"


@pytest.mark.parametrize(
    "pattern",
    [OLD_AMOUNT, r"^\s*.*\s*$", r"^(a+)+$", r"(\w+\s?)*$", r"x[a-z]*[a-c]+y"],
)
def test_the_checker_finds_slow_patterns(pattern):
    assert check_pattern(pattern, 0)


@pytest.mark.parametrize(
    "pattern",
    [r"^[0-9 \-]+$", r"[^a-z0-9-]+", r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$", r"\d+,\d+"],
)
def test_the_checker_lets_linear_patterns_pass(pattern):
    assert check_pattern(pattern, 0) == []


def test_no_pattern_in_the_app_is_slow(capsys):
    assert main(["grants"]) == 0, capsys.readouterr().out
