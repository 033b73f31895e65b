"""The game socket's error frames speak the page's language (issue 11): a Korean browser
(Accept-Language, or the switcher's cookie) gets each refusal in Korean; the frame's type
stays "error"."""

import re

import pytest

from tests.ws.test_socket import fresh_channel_layer, open_socket, running_game  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize(
    "frame, korean",
    [
        ("not json", "프레임이 JSON이 아닙니다."),
        ("[1]", "프레임은 'type'이 있는 JSON 객체여야 합니다."),
        ('{"type": "resume"}', "resume에는 0 이상의 정수 'last_seq'가 필요합니다."),
        ('{"type": "dance"}', "알 수 없는 프레임 종류 'dance'입니다."),
        ('{"type": "resume", "last_seq": 999}', "last_seq 999은(는) 이 게임보다 앞서 있습니다"),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [[(b"accept-language", b"ko-KR,ko;q=0.9")], [(b"cookie", b"lt_language=ko")]],
    ids=["header", "cookie"],
)
async def test_an_error_frame_is_korean_for_a_korean_page(frame, korean, headers):
    game, tokens = await running_game()
    communicator, connected, _ = await open_socket(game, tokens["seoul"], headers=headers)
    assert connected
    await communicator.send_to(text_data=frame)
    while True:
        reply = await communicator.receive_json_from()
        if reply["type"] == "error":
            break
    assert korean in reply["data"]["error"]
    await communicator.disconnect()


async def test_an_english_page_gets_english():
    game, tokens = await running_game()
    headers = [(b"accept-language", b"en")]
    communicator, connected, _ = await open_socket(game, tokens["seoul"], headers=headers)
    await communicator.send_to(text_data='{"type": "dance"}')
    while True:
        reply = await communicator.receive_json_from()
        if reply["type"] == "error":
            break
    assert reply["data"]["error"].startswith("Unknown frame type 'dance'")
    assert not HANGUL.search(reply["data"]["error"])
    await communicator.disconnect()
