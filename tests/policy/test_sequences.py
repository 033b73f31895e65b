"""Each seat's own numbering (policy.sequences), pure."""

from wargame.policy import next_seqs, seat_seq


def numbers(log: list[tuple[list[str], str]], role: str, grant: bool = False) -> list[int]:
    """The seat's number of each event it may see, in log order."""
    seqs, mine, out = {}, 0, []
    for seq, (audience, kind) in enumerate(log, start=1):
        seqs = next_seqs(seqs, audience, kind, grant)
        number = seat_seq(seqs, role, seq)
        if number > mine:
            out.append(number)
            mine = number
    return out


PUBLIC = (["all"], "move.submitted")
SEOUL_ONLY = (["seoul", "facilitator"], "move.recorded")
WHISPER = (["seoul", "washington", "facilitator"], "message.posted")


def test_a_seat_counts_only_what_it_may_see_without_gaps():
    """Seoul's private events leave Beijing's numbers as they were; Seoul counts them."""
    log = [PUBLIC, SEOUL_ONLY, WHISPER, SEOUL_ONLY, PUBLIC]
    assert numbers(log, "beijing") == [1, 2] == numbers([PUBLIC, PUBLIC], "beijing")
    assert numbers(log, "seoul") == [1, 2, 3, 4, 5]
    assert numbers(log, "washington") == [1, 2, 3]
    assert numbers(log, "facilitator") == [1, 2, 3, 4, 5]


def test_the_observer_counts_private_messages_only_under_the_grant():
    """Without the grant an observer's numbers skip nothing; with it, it counts them."""
    log = [PUBLIC, WHISPER, PUBLIC]
    assert numbers(log, "observer") == [1, 2]
    assert numbers(log, "observer", grant=True) == [1, 2, 3]
