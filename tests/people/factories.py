"""People factories: members with a profile worth finding."""

from tests.factories import make_member


def make_profile(*, expertise=(), **fields):
    """An approved member (unless told otherwise) with expertise tags."""
    member = make_member(**fields)
    if expertise:
        member.expertise.add(*expertise)
    return member
