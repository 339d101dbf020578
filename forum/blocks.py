"""Whether someone may post: the portal's one list of blocks (moderators keep it; see the admin).

A block by account or by client address stops reports and forum posts alike, so an abuser blocked
for one is blocked for the other.
"""


def is_blocked(user, ip) -> bool:
    from fixtracker.models import Block

    return Block.applies(user=user, ip=ip)
