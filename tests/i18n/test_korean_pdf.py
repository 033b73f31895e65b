"""The Korean debrief PDF: Hangul in its text (pdftotext) and a CJK font embedded in it
(pdffonts), the scenario's words in Korean, the months as "2025년 3월"."""

import re
import shutil
import subprocess

import pytest

from tests.web.test_debrief_page import finished_game, join

pytestmark = pytest.mark.django_db(transaction=True)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def korean_pdf(client, tmp_path):
    pytest.importorskip("weasyprint")
    game, codes = finished_game()
    join(client, codes["facilitator"])
    response = client.get(f"/games/{game.pk}/debrief.pdf", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200, response.content[:300]
    path = tmp_path / "debrief.pdf"
    path.write_bytes(response.content)
    return path


def _tool(name):
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not installed (poppler-utils; .ci/run installs it)")
    return found


def test_the_korean_pdf_has_hangul_and_the_korean_scenario(korean_pdf):
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(korean_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(HANGUL.findall(text)) > 500
    assert "사후 검토" in text  # debrief, as the glossary says
    assert "2025년 3월" in text
    assert "한반도의 군사적 긴장" in text  # a variable's label from v2.ko.json


def test_the_korean_pdf_embeds_a_cjk_font(korean_pdf):
    fonts = subprocess.run(
        [_tool("pdffonts"), str(korean_pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in fonts.splitlines()[2:] if "CJK" in line]
    assert rows, fonts
    # pdffonts' "emb" column: yes for every CJK font.
    assert all(" yes " in row for row in rows), rows
