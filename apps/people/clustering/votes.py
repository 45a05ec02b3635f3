"""The one rule that puts a face into an existing person, shared by incremental assignment and the
re-cluster's second pass (Immich-style): among the face's nearest neighbours within max_distance,
at least min_neighbours belong to one person, and no other person has as many. A person the face
was rejected from never wins; a tie or a rejected winner leaves the face unassigned (a wrong
person is worse than none)."""

from collections import Counter

from .params import ClusterParams


def neighbours_to_ask(params: ClusterParams) -> int:
    """How many nearest faces vote: enough for min_neighbours to agree with room for dissent."""
    return max(10, 2 * params.min_neighbours + 1)


def winner(neighbour_persons, min_votes: int, rejected=()) -> int | None:
    """neighbour_persons: person id of each neighbour within max_distance (falsy = unassigned)."""
    counts = Counter(p for p in neighbour_persons if p)
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, votes = ranked[0]
    if votes < min_votes or (len(ranked) > 1 and ranked[1][1] == votes) or best in rejected:
        return None
    return best
