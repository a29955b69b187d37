"""Contents leaders: the dots fill the whole leader, up to the page number, wherever it stands."""

from __future__ import annotations

from weasyprint.layout.leader import leader_index


def fill_leader(line) -> None:
    """Continue a laid-out leader's dots to its right end.

    WeasyPrint lays the dots on a grid that ends at the right edge of the line's block, and
    drops any beyond it; but a layout may let the leader and the page number run out past
    that edge into a margin (the contents keeps a title's turned lines clear of the page
    numbers so), where the leader would then end in a gap. The dots go on, on the same grid.
    """
    _, leader = leader_index(line)
    if leader is None or not leader.children:
        return
    dots = list(leader.children)
    pitch = dots[0].width
    if pitch <= 0:
        return
    end = leader.position_x + leader.width
    position = max(dot.position_x for dot in dots) + pitch
    while position + pitch <= end + 0.01:
        dot = dots[0].copy()
        dot.position_x = position
        dots.append(dot)
        position += pitch
    leader.children = tuple(dots)
