"""exports.anonymise also hides a first (or last) name used alone in free text, and a
word two seats' names share names neither of them."""

from wargame.review import exports


def log(*, roles, messages=(), rationales=()):
    return {
        "roles": [{"role": r, "name": n} for r, n in roles],
        "turns": [
            {
                "moves": [{"rationale": text} for text in rationales],
                "messages": [{"text": text} for text in messages],
            }
        ],
    }


def test_a_first_name_used_alone_is_replaced_by_the_role_label():
    """'Ji-woo' alone (of 'Kim Ji-woo', Seoul) reads 'Seoul player'."""
    out = exports.anonymise(
        log(
            roles=[("seoul", "Kim Ji-woo"), ("beijing", "Wang Fang")],
            messages=["Ji-woo, call me. -- Fang", "ji-woo agrees with WANG"],
            rationales=["As Ji-woo said"],
        )
    )
    texts = [m["text"] for m in out["turns"][0]["messages"]]
    assert texts == [
        "Seoul player, call me. -- Beijing player",
        "Seoul player agrees with Beijing player",
    ]
    assert out["turns"][0]["moves"][0]["rationale"] == "As Seoul player said"


def test_a_shared_word_names_neither_seat():
    """Two Kims in two seats: 'Kim' alone becomes a neutral label, full names their own."""
    out = exports.anonymise(
        log(
            roles=[("seoul", "Kim Ji-woo"), ("pyongyang", "Kim Chol")],
            messages=["Kim said so; Kim Chol did not"],
        )
    )
    assert out["turns"][0]["messages"][0]["text"] == ("Player said so; Pyongyang player did not")


def test_words_inside_other_words_are_left_alone():
    """'Ann' of 'Ann Lee' is not taken out of 'annex' or 'planned'."""
    out = exports.anonymise(
        log(roles=[("seoul", "Ann Lee")], messages=["The annex was planned by Ann"])
    )
    assert out["turns"][0]["messages"][0]["text"] == "The annex was planned by Seoul player"
