"""The Korean follows the glossary (docs/glossary-ko.md) everywhere: catalogs and scenario
translations. Each case is a variant a translator might reach for, and the word to use.

A new string that uses a variant fails here with its place and the glossary's word, so
terms stay consistent when more hands add Korean."""

import json
import re
from pathlib import Path

import pytest

from tests.i18n.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "ko" / "LC_MESSAGES"

# (variant pattern, the glossary's word, why)
VARIANTS = [
    (r"남한", "한국", "the player's own country is 한국 (남북 for the two Koreas together)"),
    (r"조선(?!민주주의인민공화국)", "북한", "조선 only inside the formal name, in stands_for"),
    (r"수도", "나라", "a role is a country; an English 'capital' meaning a role is 나라"),
    (r"주입", "돌발 상황", "inject"),
    (r"논거", "논지", "a claim of the commentary"),
    (r"차이나 ?패싱|코리아 ?패싱", "중국 패싱 / 한국을 패싱하다", "China passing"),
    (r"심판관|통제관", "심판", "umpire"),
    (r"사회자|퍼실리테이터", "진행자", "facilitator"),
    (r"관찰자|옵서버", "참관인", "observer"),
    (
        r"미북|중북|북남|한북|미한|중한|러북|중미|러중|러미|러한|일한미|미일한",
        "북미, 북중, 남북, 한미, 한중, 북러, 미중, 중러, 미러, 한러, 한미일",
        "pairs in the Korean order",
    ),
    (r"디브리핑|디브리프", "사후 검토", "debrief"),
    (r"리플레이", "다시 보기", "replay"),
    (r"포크", "분기", "fork"),
    (r"(?<![가-힣])락(?![가-힣])|잠그", "확정", "lock a turn's moves (잠금 is the login lockout)"),
    (r"하노이 노딜", "하노이 '노딜'", "the Hanoi 'no deal' is quoted"),
]


def _korean_texts():
    """(place, text) for every Korean text of the catalogs and scenario translations."""
    for name in ("django.po", "djangojs.po"):
        for entry in read_po(LOCALE / name)[1:]:
            for text in entry.msgstr.values():
                yield f"locale/ko/LC_MESSAGES/{name}:{entry.line}", text
    for path in sorted((ROOT / "wargame" / "scenarios").glob("*/v*.ko.json")):
        translation = json.loads(path.read_text(encoding="utf-8"))
        for key, entry in translation["texts"].items():
            yield f"{path.relative_to(ROOT)}:{key}", entry["text"]


@pytest.mark.parametrize(("variant", "word", "why"), VARIANTS, ids=[v[1] for v in VARIANTS])
def test_glossary_terms(variant, word, why):
    pattern = re.compile(variant)
    found = [
        f"{place}: {pattern.search(text).group(0)!r} in {text[:60]!r}"
        for place, text in _korean_texts()
        if pattern.search(text)
    ]
    assert found == [], f"use {word} ({why})"


def test_texts_are_read():
    """The scan reaches both catalogs and every scenario translation."""
    places = {place.split(":")[0] for place, _ in _korean_texts()}
    assert "locale/ko/LC_MESSAGES/django.po" in places
    assert "locale/ko/LC_MESSAGES/djangojs.po" in places
    assert "wargame/scenarios/lips-and-teeth-2025/v2.ko.json" in places
    assert "wargame/scenarios/gyeongju-rehearsal/v1.ko.json" in places
